"""Great Expectations reads an expectation's configuration once per call, not once per key.

In GX 1.24.1, `Expectation._get_domain_kwargs`, `_get_success_kwargs`, `_get_success_kwarg`
and `_get_runtime_kwargs` read `self.configuration.kwargs` once for every key they look up, and
`configuration` is a property that rebuilds an ExpectationConfiguration through pydantic
(`self.dict()`) each time: a batch's suites built 14,000 of them, about a third of GX's
time (docs/benchmarks.md). The replacements below are GX's own methods with the property
read once at the top; they return the same (the property is a pure function of the
expectation, which nothing changes during the call). They are applied only to the GX
version they were written against, and tests/test_gx_import.py checks that a batch's
validation results are the same with and without them.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Any

PATCHED_VERSION = "1.24.1"
_METHODS = ("_get_domain_kwargs", "_get_success_kwargs", "_get_success_kwarg", "_get_runtime_kwargs")
_originals: dict[str, Any] = {}
logger = logging.getLogger("great_expectations.expectations.expectation")


def apply(gx) -> bool:
    """Replace the three methods when `gx` is the version they were written for."""
    from great_expectations.expectations.expectation import Expectation

    if gx.__version__ != PATCHED_VERSION or _originals:
        return bool(_originals)
    for name in _METHODS:
        _originals[name] = getattr(Expectation, name)
        setattr(Expectation, name, globals()[name])
    return True


@contextmanager
def unpatched():
    """GX's own methods for the duration (for the test that compares both)."""
    from great_expectations.expectations.expectation import Expectation

    patched = {name: getattr(Expectation, name) for name in _originals}
    for name, original in _originals.items():
        setattr(Expectation, name, original)
    try:
        yield
    finally:
        for name, method in patched.items():
            setattr(Expectation, name, method)


def _get_domain_kwargs(self) -> dict[str, str | None]:
    from great_expectations.exceptions import InvalidExpectationKwargsError

    kwargs = self.configuration.kwargs
    domain_kwargs = {key: kwargs.get(key, self._get_default_value(key)) for key in self.domain_keys}
    missing_kwargs = set(self.domain_keys) - set(domain_kwargs.keys())
    if missing_kwargs:
        raise InvalidExpectationKwargsError(f"Missing domain kwargs: {list(missing_kwargs)}")
    return domain_kwargs


def _get_success_kwargs(self) -> dict[str, Any]:
    domain_kwargs = self._get_domain_kwargs()
    kwargs = self.configuration.kwargs
    success_kwargs = {key: kwargs.get(key, self._get_default_value(key)) for key in self.success_keys}
    success_kwargs.update(domain_kwargs)
    return success_kwargs


def _get_success_kwarg(self, key: str, default: Any = None) -> Any:
    return _success_kwarg(self, self.configuration.kwargs, key, default)


def _get_runtime_kwargs(self, runtime_configuration: dict | None = None) -> dict:
    from great_expectations.expectations.expectation import parse_result_format

    runtime_configuration = runtime_configuration or {}
    success_kwargs = self._get_success_kwargs()
    kwargs = self.configuration.kwargs
    runtime_kwargs = {
        key: runtime_configuration.get(key, _success_kwarg(self, kwargs, key)) for key in self.runtime_keys
    }
    runtime_kwargs.update(success_kwargs)
    runtime_kwargs["result_format"] = parse_result_format(runtime_kwargs["result_format"])
    return runtime_kwargs


def _success_kwarg(self, kwargs: dict, key: str, default: Any = None) -> Any:
    if key in kwargs:
        return kwargs[key]
    field = self.__fields__.get(key)
    if field is not None:
        return field.default if not field.required else default
    logger.warning(
        f'_get_success_kwarg called with key "{key}", but it is not a known field of {type(self).__name__}'
    )
    return default
