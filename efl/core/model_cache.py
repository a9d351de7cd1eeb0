"""efl's models' pydantic core schemas, kept between runs, as byte code is (as the efl command only).

efl's models (``efl.core.models``) are built on first use (``defer_build``), and building one is
mostly pydantic's ``GenerateSchema``, in Python: for ``efl assess`` some 26 models, a large part of
the start-up, the same work every run. What it makes, the model's core schema, is plain data (dicts,
lists, strings, numbers) plus references to classes, functions and methods. So, as the efl command,
the schema of each model built is kept in a file beside this module's byte code
(``efl/core/__pycache__/model_cache.cpython-311.schemas``), and a later run builds the model's
validator and serializer from the kept schema, exactly as pydantic does with the one it generates
(:func:`complete_from_schema` follows ``pydantic._internal._model_construction.complete_model_class``
step by step, less the schema generation).

A kept schema is never stale: it is keyed by pydantic's and pydantic-core's versions, the
interpreter, and the SHA-256 of the source of every module it depends on: the modules of the classes
and functions it refers to, of the model's own classes (its bases included), and every module these
import, transitively through efl's own (a pattern or a default may be a constant from one of them).
Standard-library modules are covered by the interpreter's version, pydantic's by its version.

Only plain data and references that can be found again are kept: a class or function by its module
and name; a method by its owner and name; what has no name (a lambda given as ``exclude_if``, a
model instance given as a default, a ``WithJsonSchema``) by where it sits in a model's fields or
validators. A schema holding anything else, or whose key cannot be worked out, is not kept, and that
model is built by pydantic as before; so is every model when the file is missing, damaged or from
another version. Only efl's own models (its modules' and its first-party plugins': the ``Record``
base in efl.core.models, and the others through :func:`hook_pydantic`) are kept, never a
third-party plugin's. The file is written at exit, whole, and never when Python is told not to write
byte code (``PYTHONDONTWRITEBYTECODE``, ``-B``). Used as a library (by a plugin, in tests) efl does
none of this unless :func:`install` is called.

The same file keeps what pydantic collected as each of efl's model classes was made, its fields
(``collect_model_fields``: about two thirds of the cost of making the classes, which every command
pays for the some 60 classes of efl.core.models and those of the modules it imports), with the same
key; see :func:`dumps_fields` for how, and :func:`hook_pydantic` for where.
"""

from __future__ import annotations

import atexit
import importlib
import importlib.util
import marshal
import sys
import types
from typing import Any

FORMAT = "efl model schemas 2"
# The pydantic this was written against (its complete_model_class); another one builds as pydantic does.
PYDANTIC = ("2.14.4",)
FIRST_PARTY = ("efl", "efl_plugins", "efl_frameworks")
# Versioned as a whole (the file's header): their modules' text is not hashed.
VERSIONED = frozenset({"pydantic", "pydantic_core", "typing_extensions"})
# Exactly these types are pickled as data; any other object must be a reference (see _Keeper).
_DATA = (str, int, float, bool, type(None), bytes, dict, list, tuple)
# What a model's validators are, in pydantic's DecoratorInfos (where a method without a name is found).
_DECORATOR_KINDS = ("validators", "field_validators", "root_validators", "field_serializers",
                    "model_serializers", "model_validators", "computed_fields")


class Unkeepable(Exception):
    """The schema refers to something that cannot be found again by name or place: not kept."""


def _first_party(module: str) -> bool:
    return module.split(".", 1)[0] in FIRST_PARTY


def _needs_text(module: str) -> bool:
    top = module.split(".", 1)[0]
    return top not in VERSIONED and top not in sys.stdlib_module_names and top != "builtins"


def _resolve_global(module: str, qualname: str) -> Any:
    value: Any = importlib.import_module(module)
    for part in qualname.split("."):
        value = getattr(value, part)
    return value


def _global_ref(value: Any) -> tuple | None:
    """("g", module, qualname) when ``value`` is found again by its name, else None."""
    module = getattr(value, "__module__", None)
    qualname = getattr(value, "__qualname__", None)
    if type(module) is not str or type(qualname) is not str or "<" in qualname:
        return None
    try:
        if _resolve_global(module, qualname) is value:
            return ("g", module, qualname)
    except Exception:  # noqa: BLE001 - not found by its name: looked for elsewhere
        return None
    return None


def _fields_of(cls: type) -> dict:
    fields = cls.__dict__.get("__pydantic_fields__")
    return fields if isinstance(fields, dict) else {}


class _Places:
    """Where the unnamed objects of some model classes are: in their fields and their validators."""

    def __init__(self, named: list[type]):
        self.places: dict[int, tuple] = {}
        self.methods: dict[tuple[int, int], tuple] = {}
        self.kept: list[Any] = []  # the objects indexed, so that no id is reused while storing
        # A schema names its models' definitions "module.Name:id(class)": that id is this process's,
        # so each such name is kept as a reference to its class and made again from it when read.
        self.refs: dict[str, tuple] = {}
        self.ids: list[str] = []
        for cls in named:
            ref = _global_ref(cls)
            self.ids.append(str(id(cls)))
            if ref is not None:
                self.refs[_definition_name(cls)] = ("r", ref)
        for cls in [c for cls in named for c in cls.__mro__]:
            ref = _global_ref(cls)
            if ref is None:
                continue
            for name, info in _fields_of(cls).items():
                for slot in ("default", "default_factory", "exclude_if", "json_schema_extra"):
                    self._add(getattr(info, slot, None), ("f", ref, name, slot))
                for i, item in enumerate(getattr(info, "metadata", ())):
                    self._add(item, ("fm", ref, name, i))
            decorators = cls.__dict__.get("__pydantic_decorators__")
            for kind in _DECORATOR_KINDS:
                for name, decorator in (getattr(decorators, kind, None) or {}).items():
                    func = getattr(decorator, "func", None)
                    if isinstance(func, types.MethodType):
                        self.kept.append(func)
                        self.methods.setdefault((id(func.__func__), id(func.__self__)), ("d", ref, kind, name))
                    elif func is not None:
                        self._add(func, ("d", ref, kind, name))

    def _add(self, value: Any, place: tuple) -> None:
        if value is not None and type(value) not in _DATA:
            self.kept.append(value)
            self.places.setdefault(id(value), place)


def _definition_name(cls: type) -> str:
    # pydantic's model_type_ref and enum_type_ref for a class that is not generic (a generic one's
    # names more, so its schema is not kept: see _encoder)
    return f"{cls.__module__}.{cls.__qualname__}:{id(cls)}"


def _resolve(ref: tuple) -> Any:
    kind = ref[0]
    if kind == "g":
        return _resolve_global(ref[1], ref[2])
    if kind == "r":
        return _definition_name(_resolve(ref[1]))
    if kind == "m":
        return getattr(_resolve(ref[1]), ref[2])
    owner = _resolve(ref[1])
    if kind == "f":
        return getattr(owner.__pydantic_fields__[ref[2]], ref[3])
    if kind == "fm":
        return owner.__pydantic_fields__[ref[2]].metadata[ref[3]]
    if kind == "d":
        return getattr(owner.__pydantic_decorators__, ref[2])[ref[3]].func
    raise Unkeepable(ref)


def _modules_of(ref: tuple, into: set[str]) -> None:
    if ref[0] == "g":
        into.add(ref[1])
    else:
        _modules_of(ref[1], into)


def _model_classes(schema: Any) -> list[type]:
    """Every class a schema names as a model's ``cls`` (their fields hold what has no name)."""
    found: dict[int, type] = {}
    todo = [schema]
    while todo:
        value = todo.pop()
        if type(value) is dict:
            cls = value.get("cls")
            if isinstance(cls, type):
                found.setdefault(id(cls), cls)
            todo.extend(value.values())
        elif type(value) in (list, tuple):
            todo.extend(value)
    return list(found.values())


def _encoder(places: _Places):  # noqa: ANN202
    """The function that names, as a reference, each object of a schema that is not plain data."""

    def reference(value: Any) -> tuple | None:
        kind = type(value)
        if kind is str:
            name = places.refs.get(value)
            if name is not None:
                return name
            if any(i in value for i in places.ids):  # some other name made with a class's id
                raise Unkeepable(value)
            return None
        if kind in _DATA:
            return None
        if kind is types.MethodType:
            owner = value.__self__
            owner_ref = _global_ref(owner) or places.places.get(id(owner))
            name = getattr(value.__func__, "__name__", None)
            if owner_ref is not None and type(name) is str and getattr(owner, name, None) == value:
                return ("m", owner_ref, name)
            place = places.methods.get((id(value.__func__), id(owner)))
            if place is not None:
                return place
            raise Unkeepable(value)
        ref = _global_ref(value) or places.places.get(id(value))
        if ref is None:
            raise Unkeepable(value)
        return ref

    return reference


def dumps(schema: Any) -> tuple[bytes, set[str]]:
    """The schema pickled (references by name or place), and the modules it refers to."""
    import io
    import pickle

    places = _Places(_model_classes(schema))
    reference = _encoder(places)
    modules: set[str] = set()

    class Keeper(pickle.Pickler):
        def persistent_id(self, value: Any) -> tuple | None:
            ref = reference(value)
            if ref is not None:
                _modules_of(ref, modules)
            return ref

    buffer = io.BytesIO()
    Keeper(buffer, protocol=5).dump(schema)
    return buffer.getvalue(), modules


def loads(payload: bytes, named: dict[tuple, Any] | None = None) -> Any:
    """A schema :func:`dumps` made, its references found again (those by name looked up once in
    ``named``, which a caller may share between schemas)."""
    import io

    finder = _schema_finder()(io.BytesIO(payload))
    finder.named, finder.found = {} if named is None else named, {}
    return finder.load()


_schema_finders: list[type] = []


def _schema_finder() -> type:
    """The unpickler of kept schemas (a class made once, not once a schema)."""
    if not _schema_finders:
        import pickle

        class Finder(pickle.Unpickler):
            named: dict[tuple, Any]
            found: dict[tuple, Any]

            def persistent_load(self, ref: tuple) -> Any:
                value = self.named.get(ref) or self.found.get(ref)
                if value is None:
                    value = _resolve(ref)
                    # what has a name is the same all run; a place in a model's fields is looked up per schema
                    (self.named if ref[0] in "gmr" else self.found)[ref] = value
                return value

            def find_class(self, module: str, name: str) -> Any:
                raise pickle.UnpicklingError(f"{module}.{name}: only data and references are kept")

        _schema_finders.append(Finder)
    return _schema_finders[0]


def _run_on_import(tree: Any) -> list:
    """The statements of a module that run when it is imported: its own, and those inside its ``if``,
    ``try``, ``with`` and class bodies, at any depth (never a function's body)."""
    import ast

    found = []
    todo = list(tree.body)
    while todo:
        node = todo.pop()
        found.append(node)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        for name in ("body", "orelse", "finalbody", "handlers"):
            todo.extend(child for child in getattr(node, name, ()) if isinstance(child, ast.AST))
    return found


# --- a class's fields: what pydantic's collect_model_fields made for it ------------------------------
#
# Making each of efl's some 60 model classes, pydantic collects its fields (``collect_model_fields``:
# the class's annotations and assigned values merged into FieldInfo objects), most of the cost of
# importing efl.core.models. Those FieldInfo objects are kept too, with the same key as a schema's.
# What they hold is plain data, or objects the class is made from this run: its annotations, what is
# assigned in its body (a ``Field()``, a default), its bases' fields, and what these hold; each of
# those is kept as its place (and found there again), so a FieldInfo read back shares with the class
# exactly what pydantic's would. Only new FieldInfo objects, containers, and the typing forms and
# forward references pydantic made anew evaluating annotations are kept by value; anything else a
# class's fields hold that is not found again by name or place means that class's are not kept.

_PLAIN = (str, int, float, bool, type(None), bytes, complex)
_BY_VALUE = (list, dict, tuple, set, frozenset)


def _field_info_class() -> type:
    from pydantic.fields import FieldInfo

    return FieldInfo


def _slots(kind: type) -> list[str]:
    return [slot for c in kind.__mro__ for slot in c.__dict__.get("__slots__", ())]


class _Sources:
    """Where the objects a class's fields can be made from are, this run (see the section's comment)."""

    def __init__(self, cls: type, namespace: Any):
        self.places: dict[int, tuple] = {}
        self.kept: list[Any] = []  # the objects indexed, so that no id is reused while storing
        field_info = _field_info_class()
        slots = _slots(field_info)
        todo: list[tuple[Any, tuple]] = [(cls, ("cls",))]  # a field of its own class (not yet named)
        for i, owner in enumerate(cls.__mro__):
            for name, value in (owner.__dict__.get("__annotations__") or {}).items():
                todo.append((value, ("ann", i, name)))
        for name in _annotated_names(cls):
            if name in namespace:
                todo.append((namespace[name], ("ns", name)))
        for i, base in enumerate(cls.__bases__):
            for name, info in (getattr(base, "__pydantic_fields__", None) or {}).items():
                todo.append((info, ("pf", i, name)))
        # an annotation written as text is evaluated in the module: what a typing form named there holds
        module = sys.modules.get(cls.__module__)
        for name, value in (vars(module) if module is not None else {}).items():
            if type(getattr(value, "__args__", None)) is tuple and _typing_form(value):
                todo.append((value, ("glob", name)))
        todo.reverse()
        while todo:  # depth first; the first place an object is found at is where it is looked for
            value, place = todo.pop()
            if type(value) in _PLAIN or id(value) in self.places:
                continue
            self.places[id(value)] = place
            self.kept.append(value)
            if isinstance(value, field_info):
                children = [(getattr(value, s), ("a", place, s)) for s in slots if hasattr(value, s)]
            elif type(value) in (list, tuple):
                children = [(item, ("i", place, i)) for i, item in enumerate(value)]
            elif type(value) is dict:
                children = [(item, ("k", place, key)) for key, item in value.items() if type(key) is str]
            else:  # a typing form: what it is made of
                children = [(getattr(value, a), ("a", place, a)) for a in ("__origin__", "__args__", "__metadata__")
                            if type(getattr(value, "__args__", None)) is tuple and hasattr(value, a)]
            todo.extend(reversed(children))


def _annotated_names(cls: type) -> list[str]:
    return [name for owner in cls.__mro__ for name in (owner.__dict__.get("__annotations__") or {})]


def _find(cls: type, namespace: Any, place: tuple) -> Any:
    kind = place[0]
    if kind == "cls":
        return cls
    if kind == "ann":
        return cls.__mro__[place[1]].__dict__["__annotations__"][place[2]]
    if kind == "ns":
        return namespace[place[1]]
    if kind == "pf":
        return cls.__bases__[place[1]].__pydantic_fields__[place[2]]
    if kind == "glob":
        return vars(sys.modules[cls.__module__])[place[1]]
    owner = _find(cls, namespace, place[1])
    if kind == "a":
        return getattr(owner, place[2])
    if kind in ("i", "k"):
        return owner[place[2]]
    raise Unkeepable(place)


def dumps_fields(cls: type, namespace: Any, value: Any) -> tuple[bytes, set[str]]:
    """``value`` (what collect_model_fields gave for ``cls``, whose body's values were ``namespace``)
    pickled: new FieldInfo objects and containers by value, all else by name or place; and the
    modules it refers to by name."""
    import io
    import pickle
    import typing

    from pydantic_core import PydanticUndefined

    sources = _Sources(cls, namespace)
    field_info = _field_info_class()
    slots = _slots(field_info)
    modules: set[str] = set()

    class Keeper(pickle.Pickler):
        def persistent_id(self, value: Any) -> tuple | None:
            kind = type(value)
            if kind in _PLAIN or value is PydanticUndefined or value is type(None) or \
                    (isinstance(value, typing._SpecialForm) and getattr(typing, value._name, None) is value):
                return None  # pickle keeps each of these by its name (typing.Literal, typing.Union...)
            if isinstance(value, (type, types.FunctionType, types.BuiltinFunctionType)):
                ref = _global_ref(value)
                if ref is not None:  # kept by its name, as pickle keeps a global (once a payload)
                    modules.add(ref[1])
                    return None
            place = sources.places.get(id(value))
            if place is not None:
                return place
            if kind is field_info or kind in _BY_VALUE or _typing_form(value):
                return None
            if kind is typing.ForwardRef and not value.__forward_evaluated__:
                return None  # made again from its text (see reducer_override)
            raise Unkeepable(value)

        def reducer_override(self, value: Any) -> Any:
            if type(value) is field_info and all(hasattr(value, slot) for slot in slots):
                return _made_field_info, (tuple(getattr(value, slot) for slot in slots),)
            if type(value) is typing.ForwardRef:
                return typing.ForwardRef, (value.__forward_arg__, value.__forward_is_argument__,
                                           value.__forward_module__), \
                    (None, {"__forward_is_class__": value.__forward_is_class__}), None, None
            return NotImplemented

    buffer = io.BytesIO()
    Keeper(buffer, protocol=5).dump(value)
    return buffer.getvalue(), modules


def _made_field_info(values: tuple) -> Any:
    """A FieldInfo holding ``values``, one for each of its slots in order (kept so by dumps_fields: a
    tuple of values without the slots' names is half the size of pickle's own state, and reads back
    faster)."""
    if not _field_info_making:
        from collections import deque
        from itertools import repeat

        field_info = _field_info_class()
        _field_info_making.append((field_info, tuple(_slots(field_info)), deque, repeat))
    field_info, slots, deque, repeat = _field_info_making[0]
    made = field_info.__new__(field_info)
    if len(values) != len(slots):
        raise ValueError("not a FieldInfo's slots")
    deque(map(setattr, repeat(made), slots, values), 0)
    return made


_field_info_making: list[tuple] = []


def loads_fields(cls: type, namespace: Any, payload: bytes, named: dict[tuple, Any] | None = None) -> Any:
    """What :func:`dumps_fields` kept, its places looked for in ``cls`` and ``namespace`` (this run's)."""
    import io

    finder = _field_finder()(io.BytesIO(payload))
    finder.cls, finder.namespace, finder.named = cls, namespace, {} if named is None else named
    return finder.load()


_finder: list[type] = []


def _field_finder() -> type:
    """The unpickler of kept fields (a class made once: one made per class would cost more than the rest)."""
    if not _finder:
        import pickle

        class FieldFinder(pickle.Unpickler):
            cls: type
            namespace: Any
            named: dict[tuple, Any]

            def persistent_load(self, place: tuple) -> Any:
                found = self.__dict__.setdefault("found", {})
                value = found.get(place, found)
                if value is found:
                    value = found[place] = _find(self.cls, self.namespace, place)
                return value

            def find_class(self, module: str, name: str) -> Any:
                ref = ("g", module, name)
                value = self.named.get(ref, self.named)
                if value is self.named:
                    value = self.named[ref] = _resolve_global(module, name)
                return value

        _finder.append(FieldFinder)
    return _finder[0]


def _same(a: Any, b: Any, field_info: type) -> bool:
    """``b`` is what ``a`` is: the same object, or a new one of the same type holding the same."""
    import typing

    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if type(a) is field_info:
        return all(hasattr(a, s) == hasattr(b, s) and (not hasattr(a, s) or _same(getattr(a, s), getattr(b, s),
                                                                                   field_info))
                   for s in _slots(field_info))
    if type(a) in (list, tuple):
        return len(a) == len(b) and all(_same(x, y, field_info) for x, y in zip(a, b))
    if type(a) is dict:
        return list(a) == list(b) and all(_same(a[k], b[k], field_info) for k in a)
    if type(a) is typing.ForwardRef:
        return (a.__forward_arg__, a.__forward_is_argument__, a.__forward_module__, a.__forward_is_class__,
                a.__forward_evaluated__) == (b.__forward_arg__, b.__forward_is_argument__, b.__forward_module__,
                                             b.__forward_is_class__, b.__forward_evaluated__)
    return (type(a) in _PLAIN + (set, frozenset) or _typing_form(a)) and a == b


def _typing_form(value: Any) -> bool:
    """``list[str]``, ``str | None``, ``Literal[...]``: made again from what they are of (pydantic's
    evaluation of annotations may have made new ones), and equal when they are of the same."""
    import typing

    return type(value) in (types.GenericAlias, types.UnionType) or isinstance(value, typing._GenericAlias)


def _field_infos_state(cls: type, namespace: Any, field_info: type) -> list:
    """What each FieldInfo assigned in the class's body holds (collect_model_fields may change one)."""
    slots = _slots(field_info)
    state = []
    for name in _annotated_names(cls):
        value = namespace.get(name)
        if isinstance(value, field_info):
            state.append([getattr(value, s, None) for s in slots] + list(value.metadata) +
                         [item for pair in value._attributes_set.items() for item in pair])
    return state


_collect = []  # pydantic's own collect_model_fields, once hooked
_complete = []  # and its complete_model_class
# Each efl model's fields, as collected when the class was made (a subclass's may be made from them).
_made_with: Any = None


def hook_pydantic() -> None:
    """As the efl command, have pydantic's ``collect_model_fields`` use the kept fields of efl's model
    classes, and its ``complete_model_class`` the kept schemas of efl's models that are not Records
    (a Record's come through :func:`rebuild`). efl.core.models calls this before it makes its classes."""
    if _collect or installed() is None or _pydantic_version() not in PYDANTIC:
        return
    import weakref

    from pydantic._internal import _model_construction

    global _made_with
    _made_with = weakref.WeakKeyDictionary()
    _collect.append(_model_construction.collect_model_fields)
    _model_construction.collect_model_fields = collect_model_fields
    _complete.append(_model_construction.complete_model_class)
    _model_construction.complete_model_class = complete_model_class


def complete_model_class(cls: type, config_wrapper: Any, ns_resolver: Any, *, raise_errors: bool = True,
                         call_on_complete_hook: bool = True, create_model_module: str | None = None,
                         is_force_rebuild: bool = False) -> bool:
    """pydantic's ``complete_model_class``, but for an efl model whose schema was kept: from that. As
    for a Record, the schema kept is the one its module's names give (efl names no other namespace for
    a model's forward references: a ``model_rebuild`` given one would be built from the kept schema too)."""
    def pydantic_own() -> bool:
        return _complete[0](cls, config_wrapper, ns_resolver, raise_errors=raise_errors,
                            call_on_complete_hook=call_on_complete_hook, create_model_module=create_model_module,
                            is_force_rebuild=is_force_rebuild)

    cache = installed()
    if cache is None or not call_on_complete_hook or create_model_module is not None or is_force_rebuild or \
            not _first_party(cls.__module__) or _rebuilds_itself(cls):
        return pydantic_own()
    schema = cache.schema(cls)
    if schema is not None and complete_from_schema(cls, schema, config_wrapper, ns_resolver):
        cache.hits.append(_name(cls))
        return True
    built = pydantic_own()
    if built and cls.__pydantic_complete__:
        cache.keep(cls)
    return built


def _rebuilds_itself(cls: type) -> bool:
    """A model with its own ``model_rebuild`` (a Record: see :func:`rebuild`)."""
    from pydantic import BaseModel

    return getattr(cls.model_rebuild, "__func__", None) is not BaseModel.model_rebuild.__func__


def collect_model_fields(cls: type, config_wrapper: Any, ns_resolver: Any, *, typevars_map: Any = None,
                         namespace_info: Any = None) -> tuple:
    """pydantic's ``collect_model_fields``, but for an efl model whose fields were kept: those."""
    cache = installed()
    # A class made in a function may be made again from other values (its annotations, say): never kept.
    if cache is None or typevars_map or not _first_party(cls.__module__) or "<locals>" in cls.__qualname__ or \
            not _bases_as_made(cls):
        return _collect[0](cls, config_wrapper, ns_resolver, typevars_map=typevars_map, namespace_info=namespace_info)
    collected = cache.fields(cls)
    if collected is None:
        collected = cache.collect_and_keep(cls, lambda: _collect[0](
            cls, config_wrapper, ns_resolver, typevars_map=typevars_map, namespace_info=namespace_info))
    _made_with[cls] = collected[0]
    return collected


def _bases_as_made(cls: type) -> bool:
    """Every base's fields are still those collected when it was made (a base built since may have new
    ones: a subclass's are then collected by pydantic)."""
    from pydantic import BaseModel

    for base in cls.__bases__:
        fields = getattr(base, "__pydantic_fields__", None)
        if fields is not None and base is not BaseModel and _made_with.get(base) is not fields:
            return False
    return True


# --- the key: what the modules' text was ------------------------------------------------------------

class Sources:
    """Each module's SHA-256, and the first-party modules it imports, worked out once a run."""

    def __init__(self) -> None:
        self.digests: dict[str, str | None] = {}
        self.imports: dict[str, set[str]] = {}

    def path(self, module: str) -> str | None:
        loaded = sys.modules.get(module)
        path = getattr(loaded, "__file__", None) if loaded is not None else None
        if path is None:
            try:
                spec = importlib.util.find_spec(module)
            except (ImportError, ValueError):
                return None
            path = spec.origin if spec is not None and spec.has_location else None
        return path if isinstance(path, str) and path.endswith(".py") else None

    def digest(self, module: str) -> str | None:
        if module not in self.digests:
            import hashlib  # here: only a run that builds a model pays for importing it

            path = self.path(module)
            try:
                with open(path, "rb") as handle:  # type: ignore[arg-type]
                    self.digests[module] = hashlib.sha256(handle.read()).hexdigest()
            except (OSError, TypeError):
                self.digests[module] = None
        return self.digests[module]

    def imported(self, module: str) -> set[str]:
        """The modules a first-party module's text imports as it is imported (not an import inside a
        function, which runs later: the names a class uses when it is made come from these), but the
        standard library's and pydantic's (read with ast: storing only)."""
        if module not in self.imports:
            import ast

            found: set[str] = set()
            self.imports[module] = found
            path = self.path(module)
            try:
                with open(path, "rb") as handle:  # type: ignore[arg-type]
                    tree = ast.parse(handle.read())
            except (OSError, TypeError, SyntaxError, ValueError):
                raise Unkeepable(module) from None
            package = module if path.endswith("__init__.py") else module.rpartition(".")[0]  # type: ignore[union-attr]
            for node in _run_on_import(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom):
                    base = node.module or ""
                    if node.level:
                        parts = package.split(".")
                        base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
                    # ``from a import b`` may name module a.b: both are dependencies when they exist
                    names = [base] + [f"{base}.{alias.name}" for alias in node.names]
                else:
                    continue
                found.update(name for name in names if _needs_text(name) and self.path(name) is not None)
        return self.imports[module]

    def closure(self, modules: set[str]) -> set[str]:
        todo = [m for m in modules if _needs_text(m)]
        seen: set[str] = set()
        while todo:
            module = todo.pop()
            if module in seen:
                continue
            seen.add(module)
            if _first_party(module):
                todo.extend(self.imported(module) - seen)
        return seen

    def key(self, modules: set[str]) -> tuple | None:
        """((module, sha256), ...) for the modules' whole closure, or None if one has no text."""
        pairs = []
        for module in sorted(self.closure(modules)):
            digest = self.digest(module)
            if digest is None:
                return None
            pairs.append((module, digest))
        return tuple(pairs)

    def still(self, key: tuple) -> bool:
        return all(self.digest(module) == digest for module, digest in key)


# --- building a model from a kept schema -------------------------------------------------------------

def complete_from_schema(cls: type, schema: Any, config_wrapper: Any, ns_resolver: Any) -> bool:
    """What ``complete_model_class`` does once its ``GenerateSchema`` has made ``schema``; False (and
    nothing changed) if the model's fields cannot be completed here."""
    from functools import partial

    from pydantic._internal._generics import get_model_typevars_map
    from pydantic._internal._model_construction import (LazyClassAttribute, generate_pydantic_signature,
                                                        rebuild_model_fields, set_deprecated_descriptors)
    from pydantic.plugin._schema_validator import create_schema_validator
    from pydantic_core import SchemaSerializer

    if not cls.__pydantic_fields_complete__:
        try:
            fields, extra_info = rebuild_model_fields(cls, config_wrapper=config_wrapper, ns_resolver=ns_resolver,
                                                      typevars_map=get_model_typevars_map(cls))
        except NameError:
            return False
        cls.__pydantic_fields__, cls.__pydantic_extra_info__ = fields, extra_info
        if not cls.__pydantic_fields_complete__:
            return False
    core_config = config_wrapper.core_config(title=cls.__name__)
    cls.__pydantic_computed_fields__ = {k: v.info for k, v in cls.__pydantic_decorators__.computed_fields.items()}
    set_deprecated_descriptors(cls)
    cls.__pydantic_core_schema__ = schema
    cls.__pydantic_validator__ = create_schema_validator(schema, cls, cls.__module__, cls.__qualname__, "BaseModel",
                                                         core_config, config_wrapper.plugin_settings)
    cls.__pydantic_serializer__ = SchemaSerializer(schema, core_config)
    cls.__signature__ = LazyClassAttribute("__signature__", partial(
        generate_pydantic_signature, init=cls.__init__, fields=cls.__pydantic_fields__,
        validate_by_alias=config_wrapper.validate_by_alias, extra=config_wrapper.extra))
    cls.__pydantic_complete__ = True
    cls.__pydantic_on_complete__()
    return True


def _name(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _shape(cls: type) -> tuple:
    """What a class's kept fields are looked for in: its and its bases' annotations, its bases."""
    return (*_annotated_names(cls), "", *(_name(base) for base in cls.__bases__))


def _header() -> tuple:
    import pydantic
    import pydantic_core

    return (FORMAT, pydantic.VERSION, pydantic_core.__version__, sys.version, importlib.util.MAGIC_NUMBER)


class SchemaCache:
    """Kept schemas by model, read from and written to one file."""

    def __init__(self, path: str | None):
        self.path = path
        self.entries: dict[str, tuple[tuple, bytes]] = {}
        self.field_entries: dict[str, tuple[tuple, tuple, bytes]] = {}  # (key, shape, fields) by class
        self.added = 0
        self.hits: list[str] = []  # the models built from the file this run
        self.field_hits: list[str] = []  # the classes made with kept fields this run
        self.sources = Sources()
        self.named: dict[tuple, Any] = {}  # references by name, found once a run (see loads)
        self._read = False

    def read(self) -> None:
        self._read = True
        if self.path is None:
            return
        try:
            with open(self.path, "rb") as handle:
                header, entries, field_entries = marshal.loads(handle.read())
        except (OSError, EOFError, ValueError, TypeError):  # missing, unreadable or damaged: as pydantic does
            return
        if header == _header() and type(entries) is dict and type(field_entries) is dict and all(
                type(k) is str and type(v) is tuple and len(v) == 2 and type(v[0]) is tuple and type(v[1]) is bytes
                for k, v in entries.items()) and all(
                type(k) is str and type(v) is tuple and len(v) == 3 and type(v[0]) is tuple and type(v[1]) is tuple
                and type(v[2]) is bytes for k, v in field_entries.items()):
            self.entries = entries
            self.field_entries = field_entries

    def schema(self, cls: type) -> Any:
        """The kept schema of ``cls`` if its key still holds, else None."""
        if not self._read:
            self.read()
        entry = self.entries.get(_name(cls))
        if entry is None:
            return None
        key, payload = entry
        try:
            if not self.sources.still(key):
                return None
            return loads(payload, self.named)
        except Exception:  # noqa: BLE001 - a reference no longer found, a damaged entry: build it
            return None

    def keep(self, cls: type) -> None:
        """Keep the schema pydantic has just made for ``cls``, if it can be kept."""
        schema = cls.__dict__.get("__pydantic_core_schema__")
        if type(schema) is not dict:
            return
        try:
            payload, modules = dumps(schema)
            modules.update(c.__module__ for c in cls.__mro__)
            modules.add(__name__)  # how the schema was kept is part of what it is
            key = self.sources.key(modules)
        except Exception:  # noqa: BLE001 - Unkeepable, or a pickling error: built as pydantic does next time too
            return
        if key is not None:
            if not self._read:
                self.read()
            self.entries[_name(cls)] = (key, payload)
            self.added += 1

    def fields(self, cls: type) -> tuple | None:
        """What collect_model_fields would give for ``cls`` (and its side effect on the class: the
        assigned fields taken off it), from its kept fields if their key still holds, else None."""
        if not self._read:
            self.read()
        entry = self.field_entries.get(_name(cls))
        if entry is None:
            return None
        key, shape, payload = entry
        try:
            if _shape(cls) != shape or not self.sources.still(key):
                return None
            fields, class_vars, removed = loads_fields(cls, cls.__dict__, payload, self.named)
        except Exception:  # noqa: BLE001 - a place no longer there, a damaged entry: collected by pydantic
            return None
        if type(fields) is not dict or not all(name in cls.__dict__ for name in removed):
            return None
        for name in removed:
            delattr(cls, name)
        self.field_hits.append(_name(cls))
        return fields, None, set(class_vars), {}

    def collect_and_keep(self, cls: type, collect: Any) -> tuple:
        """``collect()`` (pydantic's collect_model_fields for ``cls``), its fields kept if they can be:
        not if it warned (the warnings are given again, as they came) or did anything to the class but
        take its assigned fields off."""
        import warnings

        field_info = _field_info_class()
        namespace = dict(cls.__dict__)
        before = _field_infos_state(cls, namespace, field_info)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            collected = collect()
        for warning in caught:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno,
                                   source=warning.source)
        if not caught:
            try:
                self._keep_fields(cls, namespace, before, collected, field_info)
            except Exception:  # noqa: BLE001 - Unkeepable, a pickling error: collected by pydantic next time too
                pass
        return collected

    def _keep_fields(self, cls: type, namespace: dict, before: list, collected: tuple, field_info: type) -> None:
        fields, extra_info, class_vars, private_attributes = collected
        after = cls.__dict__
        if extra_info is not None or private_attributes or type(fields) is not dict or \
                any(name not in namespace or after[name] is not namespace[name] for name in after):
            return
        now = _field_infos_state(cls, namespace, field_info)
        if len(now) != len(before) or any(len(a) != len(b) or any(x is not y for x, y in zip(a, b))
                                          for a, b in zip(before, now)):
            return  # a Field() in the class's body changed
        kept = (fields, sorted(class_vars), [name for name in namespace if name not in after])
        payload, modules = dumps_fields(cls, namespace, kept)
        if not _same(kept, loads_fields(cls, namespace, payload), field_info):
            return
        modules.update(c.__module__ for c in cls.__mro__)
        modules.add(__name__)
        key = self.sources.key(modules)
        if key is not None:
            if not self._read:
                self.read()
            self.field_entries[_name(cls)] = (key, _shape(cls), payload)
            self.added += 1

    def write(self) -> None:
        """Keep what was added (if anything, and if Python may write byte code here), whole."""
        if not self.added or self.path is None or sys.dont_write_bytecode:
            return
        from efl.core.generated_code import write_whole

        if write_whole(self.path, (_header(), self.entries, self.field_entries)):
            self.added = 0


def cache_path() -> str | None:
    """Where the file goes: beside this module's byte code (honouring ``sys.pycache_prefix``)."""
    from efl.core.generated_code import beside_byte_code

    return beside_byte_code(__file__, ".schemas")  # model_cache.cpython-311.schemas


_installed: list[SchemaCache] = []


def installed() -> SchemaCache | None:
    return _installed[0] if _installed else None


def install(cache: SchemaCache | None = None) -> SchemaCache:
    """Build efl's models from kept schemas (and keep the new ones) from now on; the cache."""
    if not _installed:
        _installed.append(cache if cache is not None else SchemaCache(cache_path()))
    return _installed[0]


def uninstall() -> None:
    """Build models as pydantic does again (for tests)."""
    _installed.clear()


def install_for_the_command() -> None:
    """As the efl command: install, and write what was added when the process ends."""
    if not _installed:
        install()
        atexit.register(save_at_exit)


def save_at_exit() -> None:
    """At exit: as efl.core.generated_code.save_at_exit does, with the stopping signals held back, and
    whatever goes wrong let go (a schema not kept costs the next run a few milliseconds, never a message)."""
    from efl.core.generated_code import with_stopping_signals_held

    with_stopping_signals_held(lambda: _installed[0].write() if _installed else None)


def rebuild(cls: type, force: bool, raise_errors: bool, depth: int, types_namespace: Any) -> bool | None:
    """``cls.model_rebuild(...)`` for a Record: from a kept schema when one holds, else pydantic's own
    (and its schema then kept). ``depth`` is the ``_parent_namespace_depth`` the model's
    ``model_rebuild`` was given: its frames are Record.model_rebuild's caller's, two above this one's
    callees (pydantic's model_rebuild, and parent_frame_namespace here, one less)."""
    from pydantic import BaseModel

    cache = installed()
    if cache is None or force or types_namespace is not None or cls.__pydantic_complete__ or \
            not _first_party(cls.__module__) or _pydantic_version() not in PYDANTIC:
        return BaseModel.model_rebuild.__func__(cls, force=force, raise_errors=raise_errors,
                                                _parent_namespace_depth=depth + 2 if depth > 0 else 0,
                                                _types_namespace=types_namespace)
    from pydantic import main
    from pydantic._internal import _config, _model_construction, _namespace_utils, _typing_extra

    with main._rebuild_lock:
        if cls.__pydantic_complete__:
            return None
        schema = cache.schema(cls)
        if schema is not None:
            # The namespace pydantic's model_rebuild would use (for fields not yet complete).
            rebuild_ns = (_typing_extra.parent_frame_namespace(parent_depth=depth + 1, force=True) or {}) \
                if depth > 0 else {}
            parent_ns = _model_construction.unpack_lenient_weakvaluedict(cls.__pydantic_parent_namespace__) or {}
            ns_resolver = _namespace_utils.NsResolver(parent_namespace={**rebuild_ns, **parent_ns})
            if complete_from_schema(cls, schema, _config.ConfigWrapper(cls.model_config, check=False), ns_resolver):
                cache.hits.append(_name(cls))
                return True
        built = BaseModel.model_rebuild.__func__(cls, raise_errors=raise_errors,
                                                 _parent_namespace_depth=depth + 2 if depth > 0 else 0)
        if built and cls.__pydantic_complete__:
            cache.keep(cls)
        return built


def _pydantic_version() -> str:
    import pydantic

    return pydantic.VERSION
