"""The inspection (thẩm định): the sample, appraised scores, self-score against appraisal."""
