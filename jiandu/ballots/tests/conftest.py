import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _chinese_by_default():
    """Messages in the interface language of a fresh request (zh-hans), whatever ran before."""
    with translation.override("zh-hans"):
        yield
