"""The Sở admin manages years, catalogs, units, accounts and assignments here; the audit log is
read-only (no one edits or deletes it from the web)."""

from django.contrib import admin

from web.models import AppraisalEntry, Assessment, Assignment, AuditEvent, Profile, Submission, Unit

admin.site.site_header = "Chấm điểm CCHC — quản trị"
admin.site.register([Assessment, Unit, Profile, Assignment])


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["unit", "assessment", "submitted_at", "updated_at"]
    readonly_fields = ["evidence", "manual", "not_applicable", "submitted_at"]  # changed by the unit, audited


@admin.register(AppraisalEntry)
class AppraisalEntryAdmin(admin.ModelAdmin):
    list_display = ["unit", "round", "code", "points", "not_applicable", "reason", "by", "at"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "action", "target", "old", "new"]
    list_filter = ["action", "user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
