"""A recording view of an object graph: every value read through it is recorded by its path.

`Recorder.view(value, "site")` returns a proxy. Reading an attribute, an item, the length or the
truth of a container through it records the path read (`site.summaries[*].name`,
`site.laws.__len__`); turning a whole value into text records its path (everything below it is
then read). Plain values (strings, numbers, enums, bytes) are returned as they are, everything
else as another proxy. Properties and methods run with the proxy as `self`, so what they read is
recorded where they read it; what they return is derived, and reading it records nothing more
(its sources are recorded). Indices are all recorded as `[*]`: what matters is which field of which
kind of object was read, not which row.

Used by tests/test_list_dependencies.py (Lektor records a page's dependencies while rendering it;
gkml declares them as unit keys and checks here that the declaration covers what is read).
"""

from __future__ import annotations

import enum
import functools
import inspect
from typing import Any

_PLAIN = (str, int, float, bool, bytes, type(None), enum.Enum)


class Recorder:
    def __init__(self) -> None:
        self.reads: set[str] = set()

    def view(self, value: Any, path: str, derived: bool = False) -> Any:
        if isinstance(value, _Proxy):
            return value
        if isinstance(value, _PLAIN):
            self.read(path, derived)
            return value
        if isinstance(value, type) or (inspect.isroutine(value) and not inspect.ismethod(value)):
            return value
        return _Proxy(self, value, path, derived)

    def read(self, path: str, derived: bool) -> None:
        if not derived:
            self.reads.add(path)


class _Proxy:
    __slots__ = ("_derived", "_path", "_recorder", "_value")

    def __init__(self, recorder: Recorder, value: Any, path: str, derived: bool):
        object.__setattr__(self, "_recorder", recorder)
        object.__setattr__(self, "_value", value)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_derived", derived)

    def __getattr__(self, name: str) -> Any:
        value, recorder, path, derived = self._value, self._recorder, f"{self._path}.{name}", self._derived
        fields = getattr(type(value), "_fields", None)
        if isinstance(value, tuple) and fields and name in fields:  # a NamedTuple's field
            return recorder.view(getattr(value, name), path, derived)
        attribute = inspect.getattr_static(type(value), name, None)
        if isinstance(attribute, property):
            return recorder.view(attribute.fget(self), path, derived=True)  # type: ignore[misc]
        if isinstance(attribute, functools.cached_property):
            return recorder.view(attribute.func(self), path, derived=True)
        if inspect.isfunction(attribute):
            # a method: run with this view as `self`, and view what it returns as derived
            def method(*args: Any, **kwargs: Any) -> Any:
                return recorder.view(attribute(self, *args, **kwargs), path + "()", derived=True)

            return method
        return recorder.view(getattr(value, name), path, derived)

    def __getitem__(self, key: Any) -> Any:
        return self._recorder.view(self._value[key], f"{self._path}[*]", self._derived)

    def __iter__(self) -> Any:
        self._recorder.read(self._path + ".__iter__", self._derived)
        for element in self._value:
            yield self._recorder.view(element, f"{self._path}[*]", self._derived)

    def __len__(self) -> int:
        self._recorder.read(self._path + ".__len__", self._derived)
        return len(self._value)

    def __bool__(self) -> bool:
        if hasattr(type(self._value), "__len__"):
            self._recorder.read(self._path + ".__len__", self._derived)
        return bool(self._value)

    def __contains__(self, item: Any) -> bool:
        self._recorder.read(self._path + ".__iter__", self._derived)
        return item in self._value

    def __str__(self) -> str:
        self._recorder.read(self._path, self._derived)
        return str(self._value)

    def __format__(self, spec: str) -> str:
        self._recorder.read(self._path, self._derived)
        return format(self._value, spec)

    def __eq__(self, other: object) -> bool:
        return self._value == (other._value if isinstance(other, _Proxy) else other)

    def __hash__(self) -> int:
        return hash(self._value)

    def __repr__(self) -> str:
        self._recorder.read(self._path, self._derived)
        return repr(self._value)


def whole(value: Any) -> Any:
    """The value itself, its path recorded as read whole: for a function that takes a whole model
    value (the JSON of an agency, its spreadsheet), as turning it into text does."""
    if isinstance(value, _Proxy):
        value._recorder.read(value._path, value._derived)
        return value._value
    return value


def unwrapping(function: Any) -> Any:
    """`function`, called with every proxy among its arguments read whole."""

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        return function(*(whole(arg) for arg in args), **{name: whole(arg) for name, arg in kwargs.items()})

    return call
