import pytest

from lossacc.book import glue


def test_glue_outside_a_kernel_does_not_fail():
    assert glue("answer", 42) is None


def test_glue_rejects_bad_name():
    with pytest.raises(TypeError, match="non-empty string"):
        glue("", 1)


def test_glue_shows_strings_without_quotes():
    from lossacc.book import _PlainText

    assert repr(_PlainText("equals 1.000")) == "equals 1.000"
