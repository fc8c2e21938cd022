"""The filters that show the plan's text and numbers."""

from __future__ import annotations

from decimal import Decimal

from ambitions.templatetags.plan_text import anchor, plan_paragraphs, quantity


def test_paragraphs_and_bullets_become_body_text_and_lists() -> None:
    html = plan_paragraphs("First line\ncontinues.\n\n- one\n- two\nAfter.")
    assert html == (
        '<p class="govuk-body">First line continues.</p>'
        '<ul class="govuk-list govuk-list--bullet"><li>one</li><li>two</li></ul>'
        '<p class="govuk-body">After.</p>'
    )


def test_markup_in_the_text_is_escaped() -> None:
    assert (
        plan_paragraphs("<b>x</b> & y") == '<p class="govuk-body">&lt;b&gt;x&lt;/b&gt; &amp; y</p>'
    )
    assert plan_paragraphs("") == ""


def test_quantities_read_as_the_plan_writes_them() -> None:
    assert quantity(Decimal("1500.00")) == "1,500"
    assert quantity(Decimal("1000000.00")) == "1,000,000"
    assert quantity(Decimal("0.50")) == "0.5"
    assert quantity(Decimal("0.00")) == "0"
    assert quantity(None) == ""


def test_codes_become_html_ids() -> None:
    assert anchor("CAN.M4") == "can-m4"
