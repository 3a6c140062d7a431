"""The documentation site's tests. The one that builds the whole site is marked ``docs_build``
(select it with ``-m docs_build``, leave it out with ``-m 'not docs_build'``)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "docs_build: builds the site with mkdocs build --strict (a few seconds)")
