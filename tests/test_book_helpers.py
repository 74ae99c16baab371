import pytest

from lossacc.book import glue


def test_glue_outside_a_kernel_does_not_fail():
    assert glue("answer", 42) is None


def test_glue_rejects_bad_name():
    with pytest.raises(TypeError, match="non-empty string"):
        glue("", 1)
