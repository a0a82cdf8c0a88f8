"""Django forms rendered in GOV.UK Design System markup by the project's own templates."""

from __future__ import annotations

import datetime
import unicodedata
from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import Input


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"


class GovukTextInput(forms.TextInput):
    css_class = "govuk-input"


class GovukEmailInput(forms.EmailInput):
    css_class = "govuk-input"


class GovukNumberInput(forms.TextInput):
    """GOV.UK asks for numbers in a text input with a numeric keyboard, not type=number."""

    css_class = "govuk-input govuk-input--width-3"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "numeric", "spellcheck": "false", **(attrs or {})})


class GovukPasswordInput(forms.PasswordInput):
    css_class = "govuk-input govuk-input--width-20"


class GovukTextarea(forms.Textarea):
    css_class = "govuk-textarea"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"rows": "4", **(attrs or {})})


class GovukSelect(forms.Select):
    css_class = "govuk-select"


class GovukRadios(forms.RadioSelect):
    template_name = "govuk/widgets/radios.html"
    css_class = ""
    inline = False


class GovukInlineRadios(GovukRadios):
    inline = True

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["inline"] = True
        return context


class GovukCheckboxes(forms.CheckboxSelectMultiple):
    template_name = "govuk/widgets/checkboxes.html"
    css_class = ""


class GovukDateInput(forms.MultiWidget):
    """Day, month and year boxes; the year alone may be given where the field allows it."""

    template_name = "govuk/widgets/date.html"
    css_class = ""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        numeric = {"inputmode": "numeric", "spellcheck": "false"}
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "day": forms.TextInput(
                {**numeric, "class": "govuk-input govuk-date-input__input govuk-input--width-2"}
            ),
            "month": forms.TextInput(
                {**numeric, "class": "govuk-input govuk-date-input__input govuk-input--width-2"}
            ),
            "year": forms.TextInput(
                {**numeric, "class": "govuk-input govuk-date-input__input govuk-input--width-4"}
            ),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value:
            parts = value.split("-")
            if len(parts) == 3:
                return [int(parts[2]), int(parts[1]), int(parts[0])]
            return [None, None, parts[0]]
        return [None, None, None]


class PartialDateField(forms.MultiValueField):
    """A date of birth as a full ISO date, or a year alone when ``allow_year_only``.

    Cleans to a string: ``YYYY-MM-DD``, ``YYYY`` or ``""``.
    """

    widget = GovukDateInput

    def __init__(self, *, allow_year_only: bool = True, **kwargs: Any) -> None:
        self.allow_year_only = allow_year_only
        fields = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[Any]) -> str:
        if not data_list:
            return ""
        day, month, year = (str(part or "").strip() for part in data_list)
        if not (day or month or year):
            return ""
        label = self.label or "Date"
        if not year:
            raise forms.ValidationError(f"{label} must include a year")
        if not year.isdigit() or len(year) != 4:
            raise forms.ValidationError(f"{label} must have a 4-digit year, like 1987")
        if not (day or month):
            if not self.allow_year_only:
                raise forms.ValidationError(f"{label} must include a day and month")
            if not 1900 <= int(year) <= datetime.date.today().year:
                raise forms.ValidationError(f"{label} must be a real year in the past")
            return year
        if not (day.isdigit() and month.isdigit()):
            raise forms.ValidationError(f"{label} must be a real date, like 27 3 1987")
        try:
            value = datetime.date(int(year), int(month), int(day))
        except ValueError as exc:
            raise forms.ValidationError(f"{label} must be a real date") from exc
        if value > datetime.date.today():
            raise forms.ValidationError(f"{label} must be in the past")
        if value.year < 1900:
            raise forms.ValidationError(f"{label} must be after 1900")
        return value.isoformat()


class GovukDateField(forms.MultiValueField):
    """A full date in day, month and year boxes, cleaned to a ``datetime.date``.

    ``earliest`` and ``latest`` (dates, or callables returning dates) bound it, with messages in
    the GOV.UK pattern ("… must be today or in the future").
    """

    widget = GovukDateInput

    def __init__(
        self,
        *,
        earliest: Any = None,
        latest: Any = None,
        **kwargs: Any,
    ) -> None:
        self.earliest = earliest
        self.latest = latest
        fields = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    @staticmethod
    def _bound(value: Any) -> datetime.date | None:
        return value() if callable(value) else value

    def compress(self, data_list: list[Any]) -> datetime.date | None:
        if not data_list:
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        label = self.label or "Date"
        if not (day or month or year):
            if self.required:
                raise forms.ValidationError(f"Enter {label[0].lower()}{label[1:]}")
            return None
        missing = [
            name for name, part in (("day", day), ("month", month), ("year", year)) if not part
        ]
        if missing:
            raise forms.ValidationError(f"{label} must include a {' and '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4):
            raise forms.ValidationError(f"{label} must be a real date, like 27 3 2027")
        try:
            value = datetime.date(int(year), int(month), int(day))
        except ValueError as exc:
            raise forms.ValidationError(f"{label} must be a real date") from exc
        earliest, latest = self._bound(self.earliest), self._bound(self.latest)
        if earliest is not None and value < earliest:
            raise forms.ValidationError(f"{label} must be {earliest.day} {earliest:%B %Y} or later")
        if latest is not None and value > latest:
            raise forms.ValidationError(f"{label} must be {latest.day} {latest:%B %Y} or earlier")
        return value


class GovukTimeField(forms.TimeField):
    """A time of day typed as 09:30 or 9.30."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%H:%M", "%H.%M", "%H%M", "%H:%M:%S"])
        kwargs.setdefault(
            "widget",
            forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input govuk-input--width-5"}),
        )
        super().__init__(**kwargs)
        label = self.label or "Time"
        self.error_messages["invalid"] = f"{label} must be a time of day, like 09:30"


class GovukForm(forms.Form):
    """A form whose widgets carry GOV.UK classes and whose errors are linked for screen readers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            css = getattr(widget, "css_class", None)
            if css is None:
                if isinstance(widget, forms.Textarea):
                    css = "govuk-textarea"
                elif isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
                    css = "govuk-select"
                elif isinstance(widget, Input):
                    css = "govuk-input"
                else:
                    css = ""
            if css and "class" not in widget.attrs:
                widget.attrs["class"] = css
            if field.help_text:
                self._describe(name, f"{self._field_id(name)}-hint")

    def _field_id(self, name: str) -> str:
        # Computed here rather than through self[name], which would cache the bound field and
        # freeze a label that a subclass sets after this __init__.
        auto_id = str(self.auto_id)
        return auto_id % self.add_prefix(name) if "%s" in auto_id else self.add_prefix(name)

    def _describe(self, name: str, element_id: str) -> None:
        widget = self.fields[name].widget
        ids = widget.attrs.get("aria-describedby", "").split()
        if element_id not in ids:
            widget.attrs["aria-describedby"] = " ".join([*ids, element_id])

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                self._describe(name, f"{self._field_id(name)}-error")
                css = widget.attrs.get("class", "")
                for base in ("govuk-input", "govuk-textarea", "govuk-select"):
                    if base in css.split() and f"{base}--error" not in css:
                        widget.attrs["class"] = f"{css} {base}--error"
                if isinstance(widget, GovukDateInput):
                    for sub in widget.widgets:
                        sub_css = sub.attrs.get("class", "")
                        if "govuk-input--error" not in sub_css:
                            sub.attrs["class"] = f"{sub_css} govuk-input--error"


def yes_no_choices() -> list[tuple[str, str]]:
    return [("yes", "Yes"), ("no", "No")]


def yes_no_unknown_choices() -> list[tuple[str, str]]:
    return [("yes", "Yes"), ("no", "No"), ("not_known", "Not known")]


# The largest primary key the database holds (a signed 64-bit integer). A query value past it
# cannot name a row, and would overflow the database driver.
MAX_ID = 2**63 - 1
# Dates a query string may ask for: a day one past the last still fits a ``datetime``.
EARLIEST_QUERY_DATE = datetime.date(1900, 1, 1)
LATEST_QUERY_DATE = datetime.date(2999, 12, 31)


class IdField(forms.IntegerField):
    """A database id in a query string: a whole number from 1 to ``MAX_ID``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        kwargs.setdefault("widget", forms.HiddenInput())
        super().__init__(**kwargs)


class IsoDateField(forms.DateField):
    """A date typed as YYYY-MM-DD, between ``earliest`` and ``latest``, with GOV.UK messages."""

    def __init__(
        self,
        *,
        earliest: datetime.date = EARLIEST_QUERY_DATE,
        latest: datetime.date = LATEST_QUERY_DATE,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        kwargs.setdefault("widget", GovukTextInput({"class": "govuk-input govuk-input--width-10"}))
        super().__init__(**kwargs)
        self.earliest = earliest
        self.latest = latest
        label = self.label or "Date"
        self.error_messages["invalid"] = f"{label} must be a real date, like 2025-03-27"

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, str) and len(value) > 40:
            # No date is this long; spare strptime the work.
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        label = self.label or "Date"
        if value < self.earliest:
            raise forms.ValidationError(
                f"{label} must be {self.earliest.day} {self.earliest:%B %Y} or later"
            )
        if value > self.latest:
            raise forms.ValidationError(
                f"{label} must be {self.latest.day} {self.latest:%B %Y} or earlier"
            )


class QueryForm(GovukForm):
    """A page's query string, read only through this form (the view passes it ``GET``).

    Every query parameter a page reads is a field of one of these, so a hostile value (a number
    past 64 bits, a far date, a NUL byte, a key given twice) is either shown as a GOV.UK error
    or ignored for the field's default, never a server error. A key given twice counts by its
    last value, as ``QueryDict.get`` does. The form is always bound: a missing or empty key
    takes the field's ``initial``, so the page shows the default it used.

    ``query_names`` maps a field to its key where the key is not a Python name (``from``).
    """

    query_names: dict[str, str] = {}

    def __init__(self, query: Any, **kwargs: Any) -> None:
        data = query.copy()
        super().__init__(data, **kwargs)
        for name, field in self.fields.items():
            key = self.add_prefix(name)
            initial = self.get_initial_for_field(field, name)
            if initial not in (None, "") and not data.get(key):
                data[key] = initial.isoformat() if isinstance(initial, datetime.date) else initial

    def add_prefix(self, field_name: str) -> str:
        return super().add_prefix(self.query_names.get(field_name, field_name))

    def value(self, name: str) -> Any:
        """The cleaned value of ``name``; its default (``initial``) when it was missing or bad."""
        self.is_valid()  # cleans the form once
        value = self.cleaned_data.get(name)
        if value in (None, ""):
            initial = self.get_initial_for_field(self.fields[name], name)
            return None if initial in (None, "") else initial
        return value


class QueryTextField(forms.CharField):
    """Text in a query string: stripped, at most ``max_length``, no control characters."""

    def __init__(self, *, max_length: int = 100, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(max_length=max_length, **kwargs)
        label = self.label or "Text"
        # Replaces Django's own NUL check, whose message is not in the GOV.UK style.
        self.validators = [
            validator
            for validator in self.validators
            if not isinstance(validator, ProhibitNullCharactersValidator)
        ]
        self.error_messages["max_length"] = f"{label} must be {max_length} characters or fewer"
        self.error_messages["control"] = f"{label} must only include letters, numbers and symbols"

    def validate(self, value: Any) -> None:
        super().validate(value)
        if any(unicodedata.category(char) == "Cc" for char in value or ""):
            raise forms.ValidationError(self.error_messages["control"], code="control")


class ReferenceQuery(QueryForm):
    """A case reference typed to find a case (the audit and case access pages)."""

    reference = QueryTextField(
        label="Case reference",
        max_length=30,
        widget=GovukTextInput(
            {"class": "govuk-input govuk-input--width-20", "spellcheck": "false"}
        ),
    )
