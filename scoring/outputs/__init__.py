"""What is written: the one ReportBook and a module per format, the score tables, the workbooks people fill in."""
