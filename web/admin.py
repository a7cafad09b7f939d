"""The Sở admin manages years, catalogs, units, accounts and assignments here. Every change made
here is written to the audit log in the admin's own transaction, old value → new value, as the
workspace's pages write theirs; the audit log itself is read-only (no one edits or deletes it)."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.contrib.auth.models import User

from rules.errors import InputError
from web.accounts import checked_username
from web.audit import action_words, audit, target_words, value_words
from web.models import AppraisalEntry, Assessment, Assignment, AuditEvent, Profile, Submission, Unit

admin.site.site_header = "Chấm điểm CCHC — quản trị"


def _values(obj, names) -> dict[str, str]:
    out = {}
    for name in names:
        if name == "password":
            continue  # a hash, never written to the log
        try:
            field = obj._meta.get_field(name)
        except Exception:  # a form-only field (a password's second entry): not stored as such
            continue
        value = getattr(obj, name) if field.is_relation else field.value_from_object(obj)
        out[name] = "" if value is None else str(value)
    return out


class AuditedAdmin(admin.ModelAdmin):
    """Saves and deletions audited with the values read again, under lock, inside the admin's
    transaction, and the values stored."""

    def save_model(self, request, obj, form, change):
        names = list(form.changed_data)
        old = _values(type(obj).objects.select_for_update().get(pk=obj.pk), names) if change else {}
        super().save_model(request, obj, form, change)
        if names or not change:
            action = f"admin:{obj._meta.model_name}:{'change' if change else 'add'}"
            audit(request, action, str(obj), old, _values(obj, names or [f.name for f in obj._meta.fields]))

    def delete_model(self, request, obj):
        old = _values(obj, [f.name for f in obj._meta.fields])
        super().delete_model(request, obj)
        audit(request, f"admin:{obj._meta.model_name}:delete", str(obj), old, "")

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


admin.site.register([Assessment, Unit, Profile, Assignment], AuditedAdmin)


@admin.register(Submission)
class SubmissionAdmin(AuditedAdmin):
    list_display = ["unit", "assessment", "submitted_at", "updated_at"]
    readonly_fields = ["evidence", "manual", "not_applicable", "submitted_at", "version"]  # changed by the unit


@admin.register(AppraisalEntry)
class AppraisalEntryAdmin(AuditedAdmin):
    list_display = ["unit", "round", "code", "points", "not_applicable", "reason", "by", "at"]

    def has_change_permission(self, request, obj=None):
        return False


class ActionFilter(admin.SimpleListFilter):
    """The audit log filtered by action, the actions named in words."""

    title, parameter_name = "thao tác", "action"

    def lookups(self, request, model_admin):
        actions = AuditEvent.objects.values_list("action", flat=True).distinct().order_by("action")
        return [(a, action_words(a)) for a in actions]

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "what", "changed", "change"]
    list_filter = [ActionFilter, "user"]
    search_fields = ["target", "user"]

    @admin.display(description="thao tác", ordering="action")
    def what(self, event: AuditEvent) -> str:
        return action_words(event.action)

    @admin.display(description="đối tượng", ordering="target")
    def changed(self, event: AuditEvent) -> str:
        return target_words(event.action, event.target)

    @admin.display(description="giá trị cũ → mới")
    def change(self, event: AuditEvent) -> str:
        return f"{value_words(event.old)} → {value_words(event.new)}"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NormalisedName(forms.ModelForm):
    """An account's name as login reads it (web/accounts.py), refused unless it is a valid name."""

    def clean_username(self) -> str:
        try:
            name = checked_username(self.cleaned_data.get("username") or "")
        except InputError as e:
            raise forms.ValidationError(str(e)) from None
        if User.objects.filter(username=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f"đã có tài khoản «{name}»")
        return name


class AccountCreationForm(NormalisedName, UserCreationForm):
    pass


class AccountChangeForm(NormalisedName, UserChangeForm):
    pass


admin.site.unregister(User)


@admin.register(User)
class AuditedUserAdmin(AuditedAdmin, UserAdmin):
    """Accounts, audited; a password set here is checked by Django's validators (settings)."""

    add_form, form = AccountCreationForm, AccountChangeForm

    def log_change(self, request, obj, message):
        if isinstance(message, list) and any("password" in m.get("changed", {}).get("fields", []) for m in message):
            audit(request, "admin:user:password", obj.get_username())  # never the password itself
        return super().log_change(request, obj, message)
