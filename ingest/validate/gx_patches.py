"""Great Expectations reads an expectation's configuration once per call, not once per key.

In GX 1.24.1, `Expectation._get_domain_kwargs`, `_get_success_kwargs`, `_get_success_kwarg`
and `_get_runtime_kwargs` read `self.configuration.kwargs` once for every key they look up, and
`configuration` is a property that rebuilds an ExpectationConfiguration through pydantic
(`self.dict()`) each time: a batch's suites built 14,000 of them, about a third of GX's
time (docs/benchmarks.md). The replacements below are GX's own methods with the property
read once at the top; they return the same (the property is a pure function of the
expectation, which nothing changes during the call).

`IDDict.to_id` names each metric by an MD5 of its keyword arguments as JSON, and first
copies them through `convert_to_json_serializable` (10,000 times a batch, a sixth of GX's
time). When every value is already plain JSON (text, whole numbers, booleans, None, finite
floats, and lists and string-keyed dicts of those) that copy is the same as the original,
so the replacement hashes them directly: the same id, as GX computes it otherwise.

Every Data Docs build makes new views, each with its own Jinja environment, which
compiled GX's templates again (a twentieth of a batch's parse and validation). The views'
environments share one in-memory cache of the compiled templates instead: Jinja's own
bytecode cache, keyed by template and checksum of its source, so a template compiles once
per process and renders as before.

The patches are applied only to the GX version they were written against, and
tests/test_gx_import.py checks that a batch's validation results are the same with and
without them.
"""

from __future__ import annotations

import hashlib
import json
import logging
from contextlib import contextmanager
from typing import Any

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

PATCHED_VERSION = "1.24.1"
_METHODS = ("_get_domain_kwargs", "_get_success_kwargs", "_get_success_kwarg", "_get_runtime_kwargs")
_originals: dict[str, Any] = {}
logger = logging.getLogger("great_expectations.expectations.expectation")


def _targets():
    from great_expectations.core.id_dict import IDDict
    from great_expectations.expectations.expectation import Expectation
    from great_expectations.render.view.view import DefaultJinjaView

    return {
        **{name: (Expectation, name) for name in _METHODS},
        "to_id": (IDDict, "to_id"),
        "jinja_view_init": (DefaultJinjaView, "__init__"),
    }


def apply(gx) -> bool:
    """Replace the methods when `gx` is the version they were written for."""
    if gx.__version__ != PATCHED_VERSION or _originals:
        return bool(_originals)
    for name, (owner, attribute) in _targets().items():
        _originals[name] = getattr(owner, attribute)
        setattr(owner, attribute, globals()[name])
    return True


@contextmanager
def unpatched():
    """GX's own methods for the duration (for the test that compares both)."""
    targets = _targets()
    patched = {name: getattr(*targets[name]) for name in _originals}
    for name, original in _originals.items():
        setattr(*targets[name], original)
    try:
        yield
    finally:
        for name, method in patched.items():
            setattr(*targets[name], method)


def _get_domain_kwargs(self) -> dict[str, str | None]:
    return _domain_kwargs(self, self.configuration.kwargs)


def _domain_kwargs(self, kwargs: dict) -> dict[str, str | None]:
    from great_expectations.exceptions import InvalidExpectationKwargsError

    domain_kwargs = {key: kwargs.get(key, self._get_default_value(key)) for key in self.domain_keys}
    missing_kwargs = set(self.domain_keys) - set(domain_kwargs.keys())
    if missing_kwargs:
        raise InvalidExpectationKwargsError(f"Missing domain kwargs: {list(missing_kwargs)}")
    return domain_kwargs


def _get_success_kwargs(self) -> dict[str, Any]:
    return _success_kwargs(self, self.configuration.kwargs)


def _success_kwargs(self, kwargs: dict) -> dict[str, Any]:
    # GX's _get_success_kwargs calls _get_domain_kwargs, which no expectation class overrides
    domain_kwargs = _domain_kwargs(self, kwargs)
    success_kwargs = {key: kwargs.get(key, self._get_default_value(key)) for key in self.success_keys}
    success_kwargs.update(domain_kwargs)
    return success_kwargs


def _get_success_kwarg(self, key: str, default: Any = None) -> Any:
    return _success_kwarg(self, self.configuration.kwargs, key, default)


def _get_runtime_kwargs(self, runtime_configuration: dict | None = None) -> dict:
    from great_expectations.expectations.expectation import parse_result_format

    runtime_configuration = runtime_configuration or {}
    kwargs = self.configuration.kwargs
    success_kwargs = _success_kwargs(self, kwargs)
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


_PLAIN = (str, int, bool, type(None))


def _plain(value: Any) -> bool:
    """Whether `value` is JSON as it is: convert_to_json_serializable would return its equal."""
    kind = type(value)
    if kind in _PLAIN:
        return True
    if kind is float:
        return value == value  # NaN becomes None there
    if kind in (list, tuple):
        return all(_plain(v) for v in value)
    if kind is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    return False


def to_id(self, id_keys=None, id_ignore_keys=None):
    if id_keys is None:
        id_keys = self.keys()
    if id_ignore_keys is None:
        id_ignore_keys = self._id_ignore_keys
    id_keys = set(id_keys) - set(id_ignore_keys)
    if len(id_keys) <= 1 or not all(type(k) is str and _plain(self[k]) for k in id_keys):
        return _originals["to_id"](self, id_keys, id_ignore_keys)
    data = json.dumps({k: self[k] for k in id_keys}, sort_keys=True).encode("utf-8")
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


class CompiledTemplates(BytecodeCache):
    """Jinja's bytecode cache, in memory: compiled code by template and source checksum."""

    def __init__(self) -> None:
        self.codes: dict[tuple[str, str], Any] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        bucket.code = self.codes.get((bucket.key, bucket.checksum))

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.codes[(bucket.key, bucket.checksum)] = bucket.code


COMPILED_TEMPLATES = CompiledTemplates()


def jinja_view_init(self, *args, **kwargs) -> None:
    _originals["jinja_view_init"](self, *args, **kwargs)
    self.env.bytecode_cache = COMPILED_TEMPLATES
