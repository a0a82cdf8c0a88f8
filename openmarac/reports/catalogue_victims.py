"""The figures about the victims and perpetrators of the cases heard (the equality figures)."""

from __future__ import annotations

from .facts import AGE_BANDS
from .figure import AGE_LABELS, CASE_RULE, LINCS, SAFELIVES, Figure


def _label_of(figures: list[Figure], key: str) -> str:
    return next(figure.label for figure in figures if figure.key == key)


def victim_figures() -> list[Figure]:
    f: list[Figure] = []
    sexes = [
        ("female", "Female victims"),
        ("male", "Male victims"),
        ("non_binary", "Non-binary victims"),
        ("other", "Victims of another gender"),
        ("not_known", "Victims whose gender is not known"),
    ]
    for code, label in sexes:
        f.append(
            Figure(
                f"victims_{code}",
                label,
                "victims",
                f"{CASE_RULE} The victim's gender as the referral gave it.",
                LINCS if code == "male" else SAFELIVES,
                group="sex",
                total="cases_heard",
            )
        )
    for band, _low, _high in [*AGE_BANDS, ("not_known", 0, 0)]:
        f.append(
            Figure(
                f"victims_age_{band}",
                f"Victims {AGE_LABELS[band]}",
                "victims",
                f"{CASE_RULE} Age on the day the referral first reached the hub, from the date "
                "of birth on it; with the year of birth alone, the younger of the two ages it "
                "could be.",
                SAFELIVES,
                group="age",
                total="cases_heard",
            )
        )
    for code, label, rule in [
        (
            "minoritised",
            "Black, Asian and racially minoritised victims",
            "Ethnic group Asian or Asian British; Black, Black British, Caribbean or African; "
            "Mixed or multiple; or another ethnic group.",
        ),
        ("white", "White victims", "Ethnic group White."),
        (
            "ethnicity_not_known",
            "Victims whose ethnic group is not known",
            "Not known, prefer not to say, or not answered.",
        ),
    ]:
        f.append(
            Figure(
                f"victims_{code}",
                label,
                "victims",
                f"{CASE_RULE} {rule}",
                SAFELIVES,
                group="ethnicity",
                total="cases_heard",
            )
        )
    for code, label, rule in [
        (
            "lgbt",
            "LGBT+ victims",
            "Sexual orientation gay or lesbian, bisexual or another orientation, or a gender "
            "identity different from the sex registered at birth.",
        ),
        ("not_lgbt", "Victims not LGBT+", "Heterosexual, and not trans."),
        (
            "lgbt_not_known",
            "Victims whose sexual orientation is not known",
            "Not known, prefer not to say or not answered, and not trans.",
        ),
    ]:
        f.append(
            Figure(
                f"victims_{code}",
                label,
                "victims",
                f"{CASE_RULE} {rule}",
                SAFELIVES,
                group="lgbt",
                total="cases_heard",
            )
        )
    for code, label, rule in [
        ("disabled", "Disabled victims", "The referral says the victim has a disability."),
        ("not_disabled", "Victims not disabled", "The referral says they have none."),
        ("disability_not_known", "Victims whose disability is not known", "Anything else."),
    ]:
        f.append(
            Figure(
                f"victims_{code}",
                label,
                "victims",
                f"{CASE_RULE} {rule}",
                SAFELIVES,
                group="disability",
                total="cases_heard",
            )
        )
    for key, numerator in [
        ("victims_male_percent", "victims_male"),
        ("victims_age_16_17_percent", "victims_age_16_17"),
        ("victims_minoritised_percent", "victims_minoritised"),
        ("victims_lgbt_percent", "victims_lgbt"),
        ("victims_disabled_percent", "victims_disabled"),
    ]:
        f.append(
            Figure(
                key,
                f"Share of cases heard: {_label_of(f, numerator).lower()}",
                "victims",
                f"{numerator} as a percentage of cases_heard, to one decimal place.",
                SAFELIVES,
                kind="percent",
                numerator=numerator,
                denominator="cases_heard",
            )
        )
    f.append(
        Figure(
            "perpetrators_under_18",
            "Cases with a perpetrator aged 17 or under",
            "victims",
            f"{CASE_RULE} At least one perpetrator on the referral was 17 or under on the day it "
            "reached the hub (a year of birth alone counts when even the older age it could be "
            "is 17 or under).",
            SAFELIVES,
        )
    )
    for code, label, rule in [
        (
            "partner",
            "Perpetrator a current partner",
            "The first perpetrator's relationship names a partner, spouse, boyfriend or "
            "girlfriend (husband, wife, fiancé, cohabitee).",
        ),
        (
            "ex_partner",
            "Perpetrator a former partner",
            "It names a partner with ex, former, previous or estranged.",
        ),
        (
            "family",
            "Perpetrator a family member",
            "It names a family member (son, daughter, mother, father, sibling, grandparent, "
            "step- or in-law relative, carer) and no partner.",
        ),
        ("other", "Another relationship", "Anything else written."),
        ("not_known", "Relationship not recorded", "Nothing written."),
    ]:
        f.append(
            Figure(
                f"relationship_{code}",
                label,
                "victims",
                f"{CASE_RULE} {rule}",
                LINCS,
                group="relationship",
                total="cases_heard",
            )
        )
    return f
