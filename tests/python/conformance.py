"""Every operation of whole AWS models, called by botocore against a stub server.

Run by `cargo xtask conformance` (see xtask/src/conformance.rs), which builds and starts
the stub server of the models given here. For each model, botocore's own description of
the same service (matched by its service id) drives the calls: per operation, inputs
from several strategies, each answer checked.

- minimal: the required members only; expect 200 and an output botocore parses, whose
  values satisfy the output shape's constraints.
- maximal: every member set (nested shapes to a bounded depth); the same expectation.
- min:<member> / max:<member>: each length or range at its bound (members of the input
  and of the structures it holds, two levels down: `a.b`); the same expectation.
- violate:<member>:<constraint>: each of those constraints broken once (botocore's own
  validation off); expect 400 ValidationException naming the member's JSON Pointer.
- missing:<member>: each required member left out; the same.
- wrong-type:<member>: a body member sent as a JSON value of another type; expect 400
  SerializationException.
- example:<n>: the input of the operation's n-th `@examples` entry; expect the stub to
  answer with the entry's output (read by botocore to the same values) or its error.

Prints services x operations x strategies, passed / total, and every failure; exits 1 when
a case fails that `--expected-failures` does not list (or a listed one passes).
"""

import argparse
import base64
import datetime
import email.utils
import json
import math
import re
import subprocess
import sys

try:  # Python 3.11+
    import re._parser as sre_parse
    import re._constants as sre_constants
except ImportError:  # pragma: no cover
    import sre_parse
    import sre_constants

import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError

MAX_DEPTH = 3
# Bounds beyond this are not tried (a 2^31-character string is not a useful request).
MAX_BOUND = 4096
INSTANT = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)


class CannotMake(Exception):
    """No value of the shape could be made (a pattern the generator cannot follow)."""


# ---------------------------------------------------------------------------------------
# Strings that match a regular expression (Python's own parser of its syntax, which
# covers the ECMA-262 patterns AWS models use).


def matching(pattern, low=0, high=None, exact=None):
    """A string the pattern matches, its length within [low, high] (or exactly `exact`);
    None when the generator finds none. Repetitions grow in order, one step of `extra`
    at a time, so the length grows with `extra`: a binary search finds the bound."""
    try:
        parsed = sre_parse.parse(pattern)
        compiled = re.compile(pattern)
    except (re.error, ValueError, TypeError, OverflowError):
        return None
    if exact is not None:
        low = high = exact
    high = 10**9 if high is None else high

    def text(extra):
        return _write(parsed, [extra])

    lo, hi = 0, max(low, 1) * 2 + 64
    while lo < hi:  # the least `extra` that reaches `low` characters
        mid = (lo + hi) // 2
        if len(text(mid)) >= low:
            hi = mid
        else:
            lo = mid + 1
    made = text(lo)
    if low <= len(made) <= high and compiled.search(made):
        return made
    return None


def _write(parsed, extra):
    out = []
    for op, arg in parsed:
        out.append(_write_one(op, arg, extra))
    return "".join(out)


def _write_one(op, arg, extra):
    c = sre_constants
    if op == c.LITERAL:
        return chr(arg)
    if op == c.NOT_LITERAL:
        return "a" if chr(arg) != "a" else "b"
    if op == c.ANY:
        return "a"
    if op == c.IN:
        return _pick_in(arg)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
        low, high, sub = arg
        high = 10**9 if high == c.MAXREPEAT else high
        more = min(extra[0], high - low)
        extra[0] -= more
        return "".join(_write(sub, extra) for _ in range(low + more))
    if op == c.SUBPATTERN:
        return _write(arg[-1], extra)
    if op == c.BRANCH:
        return _write(arg[1][0], extra)
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT, c.GROUPREF):
        return ""
    if op == getattr(c, "ATOMIC_GROUP", None):
        return _write(arg, extra)
    return ""


def _pick_in(items):
    c = sre_constants
    negate = any(op == c.NEGATE for op, _ in items)
    candidates = []
    for op, arg in items:
        if op == c.LITERAL:
            candidates.append(chr(arg))
        elif op == c.RANGE:
            low, high = arg
            nice = [chr(x) for x in range(low, min(high, low + 200) + 1) if chr(x).isalnum() and chr(x).isascii()]
            candidates.extend(nice or [chr(low)])
        elif op == c.CATEGORY:
            name = str(arg)
            if "DIGIT" in name and "NOT" not in name:
                candidates.append("0")
            elif "WORD" in name and "NOT" not in name:
                candidates.append("a")
            elif "SPACE" in name and "NOT" not in name:
                candidates.append(" ")
            else:
                candidates.append("a")
    if negate:
        for ch in "aZ0-_.":
            if ch not in candidates:
                return ch
        return "q"
    alnum = [ch for ch in candidates if ch.isalnum()]
    return (alnum or candidates or ["a"])[0]


def not_matching(pattern, low, high):
    try:
        compiled = re.compile(pattern)
    except (re.error, ValueError, TypeError):
        return None
    size = max(low, 1)
    for text in ("!" * size, " " * size, "\u00e9" * size, "-" * size, "A" * size, "0" * size, "a" * size):
        if len(text) <= high and not compiled.search(text):
            return text
    return None


# ---------------------------------------------------------------------------------------
# The Smithy model: what the stub server was generated from, so what inputs must satisfy
# and what outputs are checked against (botocore's own model can be another version).

PRELUDE = {
    "String": "string", "Boolean": "boolean", "PrimitiveBoolean": "boolean", "Byte": "byte",
    "PrimitiveByte": "byte", "Short": "short", "PrimitiveShort": "short", "Integer": "integer",
    "PrimitiveInteger": "integer", "Long": "long", "PrimitiveLong": "long", "Float": "float",
    "PrimitiveFloat": "float", "Double": "double", "PrimitiveDouble": "double",
    "BigInteger": "bigInteger", "BigDecimal": "bigDecimal", "Blob": "blob",
    "Timestamp": "timestamp", "Document": "document", "Unit": "structure",
}


class Model:
    def __init__(self, path):
        with open(path) as f:
            self.shapes = json.load(f)["shapes"]

    def shape(self, target):
        if target.startswith("smithy.api#"):
            name = target.split("#")[1]
            return {"type": PRELUDE.get(name, "string"), "members": {}}
        return self.shapes[target]

    def service(self):
        return next((i, s) for i, s in self.shapes.items() if s.get("type") == "service")

    def operations(self):
        """Operation name -> shape ID, resources' operations included."""
        _, service = self.service()
        found = {}

        def visit(container):
            for key in ("operations", "collectionOperations"):
                for ref in container.get(key, []):
                    found[ref["target"].split("#")[1]] = ref["target"]
            for key in ("create", "put", "read", "update", "delete", "list"):
                if key in container:
                    found[container[key]["target"].split("#")[1]] = container[key]["target"]
            for ref in container.get("resources", []):
                visit(self.shapes[ref["target"]])

        visit(service)
        return found


class Member:
    """A member (or a list item, map key or value): its target's shape with the member's
    own traits over the target's."""

    def __init__(self, model, ref, name=None):
        self.model = model
        self.name = name
        self.target = ref["target"]
        self.shape = model.shape(self.target)
        self.traits = dict(self.shape.get("traits", {}))
        self.traits.update(ref.get("traits", {}))
        self.kind = self.shape["type"]

    def trait(self, name):
        return self.traits.get("smithy.api#" + name)

    @property
    def required(self):
        return self.trait("required") is not None

    @property
    def location(self):
        for trait, where in (("httpLabel", "uri"), ("httpHeader", "header"), ("httpQuery", "query"),
                             ("httpPrefixHeaders", "header"), ("httpQueryParams", "query"),
                             ("httpPayload", "payload"), ("httpResponseCode", "status")):
            if self.trait(trait) is not None:
                return where
        return None

    def bounds(self):
        if self.kind in ("string", "list", "map", "blob", "enum", "set"):
            length = self.trait("length") or {}
            return length.get("min"), length.get("max")
        range_ = self.trait("range") or {}
        return range_.get("min"), range_.get("max")

    def enum_values(self):
        if self.kind == "enum":
            return [m.get("traits", {}).get("smithy.api#enumValue", n) for n, m in self.shape["members"].items()]
        legacy = self.trait("enum")
        return [e["value"] for e in legacy] if legacy else None

    def members(self):
        return {n: Member(self.model, ref, n) for n, ref in self.shape.get("members", {}).items()}

    def item(self, which="member"):
        return Member(self.model, self.shape[which])

    def streaming(self):
        return self.model.shape(self.target).get("traits", {}).get("smithy.api#streaming") is not None


# ---------------------------------------------------------------------------------------
# Inputs.


def make(member, full, depth=0, nth=0, stack=()):
    kind = member.kind
    if kind in ("structure", "union"):
        out = {}
        for name, child in member.members().items():
            if child.streaming() and child.kind == "union":
                continue  # an event stream: not sent as a value
            recursive = child.target in stack
            if not child.required and (not full or depth >= MAX_DEPTH or recursive) and kind != "union":
                continue
            if kind == "union" and recursive:
                continue
            out[name] = make(child, full, depth + 1, 0, stack + (member.target,))
            if kind == "union":
                break
        return out
    if kind in ("list", "set"):
        low, high = member.bounds()
        count = max(low or 0, 1 if depth < MAX_DEPTH else 0)
        if high is not None:
            count = min(count, high)
        item = member.item()
        return [make(item, full, depth + 1, nth * 7 + i, stack) for i in range(count)]
    if kind == "map":
        low, high = member.bounds()
        count = max(low or 0, 1 if depth < MAX_DEPTH else 0)
        key, value = member.item("key"), member.item("value")
        return {str(make(key, full, depth + 1, nth * 7 + i, stack)): make(value, full, depth + 1, i, stack) for i in range(count)}
    if kind in ("string", "enum"):
        return string(member, nth)
    if kind in ("byte", "short", "integer", "long", "intEnum", "bigInteger"):
        if kind == "intEnum":
            values = [m["traits"]["smithy.api#enumValue"] for m in member.shape["members"].values()]
            return values[nth % len(values)]
        low, high = member.bounds()
        value = int(low if low is not None else 1) + nth
        return min(value, int(high)) if high is not None else value
    if kind in ("float", "double", "bigDecimal"):
        low, high = member.bounds()
        value = (low if low is not None else 1.5) + nth
        return min(value, high) if high is not None else value
    if kind == "boolean":
        return True
    if kind == "blob":
        low, high = member.bounds()
        size = max(low or 0, 4)
        if high is not None:
            size = min(size, high)
        return b"s" * size
    if kind == "timestamp":
        return INSTANT + datetime.timedelta(seconds=nth)
    if kind == "document":
        return {"stub": True}
    raise CannotMake(f"shape type {kind}")


def string(member, nth=0, length=None):
    """A string of the member: its length within bounds (exactly `length` when given),
    matching its pattern, from its enum."""
    values = member.enum_values()
    if values:
        return values[nth % len(values)]
    low, high = member.bounds()
    low = low or 0
    pattern = member.trait("pattern")
    plain = "value" + ("" if nth == 0 else f"-{nth + 1}")
    if length is not None:
        plain = (plain * (length // len(plain) + 1))[:length]
    elif len(plain) < low:
        plain += "x" * (low - len(plain))
    elif high is not None and len(plain) > high:
        plain = plain[:high]
    if pattern is None or _search(pattern, plain):
        return plain
    made = matching(pattern, low, high, exact=length)
    if made is None:
        raise CannotMake(f"no string of {length if length is not None else f'{low}..{high}'} characters matching {pattern!r}")
    return made


def wrong_length(member, length):
    """A string of `length` characters: matching the member's pattern when one can."""
    try:
        return string(member, length=length)
    except CannotMake:
        return ("value" * (length // 5 + 1))[:length]


def _search(pattern, text):
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return True


# ---------------------------------------------------------------------------------------
# Checking outputs.


def check_output(member, value, path="", problems=None):
    problems = [] if problems is None else problems
    kind = member.kind
    low, high = member.bounds()
    if kind in ("structure", "union"):
        if not isinstance(value, dict):
            problems.append(f"{path or '/'}: not a structure")
            return problems
        for name, child in member.members().items():
            if child.streaming() and child.kind == "union":
                continue
            if child.required and name not in value and child.location is None:
                problems.append(f"{path}/{name}: required, missing")
            if name in value and value[name] is not None:
                check_output(child, value[name], f"{path}/{name}", problems)
    elif kind in ("list", "set", "map"):
        if low is not None and len(value) < low or high is not None and len(value) > high:
            problems.append(f"{path}: {len(value)} items, outside [{low}, {high}]")
        items = value.values() if kind == "map" else value
        item = member.item("value" if kind == "map" else "member")
        for i, each in enumerate(items):
            if each is not None:
                check_output(item, each, f"{path}/{i}", problems)
    elif kind in ("string", "enum"):
        values = member.enum_values()
        if values and value not in values:
            problems.append(f"{path}: {value!r} not in the enum")
        if low is not None and len(value) < low or high is not None and len(value) > high:
            problems.append(f"{path}: length {len(value)} outside [{low}, {high}]")
        pattern = member.trait("pattern")
        if pattern and not _search(pattern, value):
            problems.append(f"{path}: {value!r} does not match {pattern!r}")
    elif kind in ("byte", "short", "integer", "long", "float", "double"):
        if low is not None and value < low or high is not None and value > high:
            problems.append(f"{path}: {value} outside [{low}, {high}]")
    return problems


# ---------------------------------------------------------------------------------------
# Cases.


def member_paths(shape, prefix=(), stack=()):
    """(path, member) for the input's members, and those of the structures and unions
    they hold, two levels down (lists and maps are not entered)."""
    for name, member in shape.members().items():
        if member.streaming() and member.kind == "union":
            continue
        path = prefix + (name,)
        yield path, member
        nested = member.kind in ("structure", "union") and member.location is None
        if nested and len(path) < 2 and member.target not in stack:
            yield from member_paths(member, path, stack + (shape.target,))


def cases(shape, context_params, path_params):
    """(strategy, params, expectation) for one operation's input; expectation is 'ok',
    or ('error', code, JSON Pointer of the member the error must name)."""
    yield "minimal", lambda: make(shape, False), "ok"
    yield "maximal", lambda: make(shape, True), "ok"
    for path, member in member_paths(shape):
        name = ".".join(path)
        pointer = "/" + "/".join(path)
        top = len(path) == 1
        location = member.location
        low, high = member.bounds()
        kind = member.kind
        invalid = ("error", "ValidationException", pointer)
        if kind == "string" and not member.enum_values():
            if low is not None:
                yield f"min:{name}", _with(shape, path, lambda m=member, n=low: string(m, length=n)), "ok"
            if high is not None and high <= MAX_BOUND:
                yield f"max:{name}", _with(shape, path, lambda m=member, n=high: string(m, length=n)), "ok"
            # An empty label cannot be routed: no operation to validate it.
            if low and (low > 1 or location != "uri"):
                yield f"violate:{name}:length-min", _with(shape, path, lambda m=member, n=low: _short(m, n), False), invalid
            if high is not None and high < MAX_BOUND:
                yield f"violate:{name}:length-max", _with(shape, path, lambda m=member, n=high: _long(m, n), False), invalid
            pattern = member.trait("pattern")
            if pattern and location != "uri":
                bad = not_matching(pattern, low or 0, high if high is not None else 10**9)
                if bad is not None:
                    yield f"violate:{name}:pattern", _with(shape, path, lambda b=bad: b, False), invalid
        if kind in ("string", "enum") and member.enum_values() and location != "uri":
            yield f"violate:{name}:enum", _with(shape, path, lambda: "NOT_A_VALUE_OF_THE_ENUM", False), invalid
        if kind in ("list", "map") and location is None and low:
            yield f"violate:{name}:length-min", _with(shape, path, lambda k=kind: [] if k == "list" else {}, False), invalid
        if kind in ("integer", "long", "short", "byte"):
            if low is not None:
                yield f"min:{name}", _with(shape, path, lambda n=low: int(n)), "ok"
                yield f"violate:{name}:range-min", _with(shape, path, lambda n=low: int(n) - 1, False), invalid
            if high is not None:
                yield f"max:{name}", _with(shape, path, lambda n=high: int(n)), "ok"
                yield f"violate:{name}:range-max", _with(shape, path, lambda n=high: int(n) + 1, False), invalid
        # botocore fills in a missing idempotency token, so it cannot be sent missing.
        # botocore resolves the endpoint from operationContextParams paths: without the
        # member it fails before sending anything.
        if member.required and location != "uri" and member.trait("idempotencyToken") is None \
                and not (top and path[0] in path_params):
            yield f"missing:{name}", _without(shape, path), invalid
    for name, member in shape.members().items():
        if member.location is None and member.kind in ("string", "integer", "long", "boolean") \
                and not member.enum_values() and name not in context_params and shape.kind != "union":
            wrong = {"string": 12345, "integer": "twelve", "long": "twelve", "boolean": "yes"}[member.kind]
            yield f"wrong-type:{name}", _with(shape, (name,), lambda w=wrong: w, False), ("error", "SerializationException", None)
            break


def _short(member, low):
    return wrong_length(member, low - 1) if low > 1 else ""


def _long(member, high):
    return wrong_length(member, high + 1)


def _holder(shape, params, path):
    """The dict that holds the last member of `path`, made (minimal) where it is absent;
    in a union, the member becomes its only one."""
    holder, member = params, shape
    for name in path[:-1]:
        member = member.members()[name]
        if not isinstance(holder.get(name), dict):
            holder[name] = make(member, False)
        holder = holder[name]
    if member.kind == "union":
        holder.clear()
    return holder


def _with(shape, path, value, full=True):
    def build():
        # A nested member is set within an otherwise complete input.
        params = make(shape, full or len(path) > 1)
        _holder(shape, params, path)[path[-1]] = value()
        return params
    return build


def _without(shape, path):
    def build():
        params = make(shape, len(path) > 1)
        _holder(shape, params, path).pop(path[-1], None)
        return params
    return build


# ---------------------------------------------------------------------------------------


def service_models(paths):
    """(Smithy model, botocore service name) for each model file, matched by sdkId."""
    session = botocore.session.get_session()
    by_id = {}
    for name in session.get_available_services():
        by_id.setdefault(session.get_service_model(name).metadata.get("serviceId"), name)
    out = []
    for path in paths:
        model = Model(path)
        _, service = model.service()
        sdk_id = service["traits"]["aws.api#service"]["sdkId"]
        if sdk_id not in by_id:
            raise SystemExit(f"botocore has no service with id {sdk_id!r} ({path})")
        out.append((model, by_id[sdk_id]))
    return session, out


# ---------------------------------------------------------------------------------------
# The generated client: the same input, the same answer, read to the same values.


class RustClient:
    """The conformance-client program: one call per JSON line."""

    def __init__(self, path):
        self.process = subprocess.Popen([path], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def call(self, sdk_id, operation, endpoint, input_json):
        request = {"service": sdk_id, "operation": operation, "endpoint": endpoint, "input": input_json}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def timestamp_format(member):
    return member.trait("timestampFormat") or "epoch-seconds"


def walk(member, value, scalar):
    """`value` (of `member`) with each scalar in it replaced by `scalar(member, value)`."""
    kind = member.kind
    if value is None:
        return None
    if kind in ("structure", "union"):
        members = member.members()
        return {k: walk(members[k], v, scalar) for k, v in value.items() if k in members}
    if kind in ("list", "set"):
        item = member.item()
        return [walk(item, v, scalar) for v in value]
    if kind == "map":
        item = member.item("value")
        return {k: walk(item, v, scalar) for k, v in value.items()}
    return scalar(member, value)


def to_wire(member, value):
    """botocore's parameters as the JSON form the generated types read."""
    return walk(member, value, wire_scalar)


def wire_scalar(member, value):
    kind = member.kind
    if kind == "blob":
        return base64.b64encode(value if isinstance(value, bytes) else value.encode()).decode()
    if kind == "timestamp":
        fmt = timestamp_format(member)
        if fmt == "date-time":
            return value.strftime("%Y-%m-%dT%H:%M:%SZ")
        if fmt == "http-date":
            return email.utils.format_datetime(value, usegmt=True)
        return value.timestamp()
    return value


def same(member, ours, theirs, path="", given_only=False):
    """Differences between our client's output (its JSON form) and botocore's; with
    `given_only`, members `ours` leaves out are not compared (an example's output)."""
    kind = member.kind
    if given_only and ours is None:
        return []
    if ours is None or theirs is None:
        empty = (None, [], {}, "")
        return [] if ours in empty and theirs in empty else [f"{path or '/'}: ours {ours!r}, botocore {theirs!r}"]
    if kind in ("structure", "union"):
        out = []
        for name, child in member.members().items():
            if child.streaming():
                continue
            out += same(child, ours.get(name), theirs.get(name), f"{path}/{name}", given_only)
        return out
    if kind in ("list", "set"):
        if len(ours) != len(theirs):
            return [f"{path}: {len(ours)} items, botocore {len(theirs)}"]
        item = member.item()
        return [d for i, (a, b) in enumerate(zip(ours, theirs)) for d in same(item, a, b, f"{path}/{i}", given_only)]
    if kind == "map":
        if set(ours) != set(theirs):
            return [f"{path}: keys {sorted(ours)}, botocore {sorted(theirs)}"]
        item = member.item("value")
        return [d for k in ours for d in same(item, ours[k], theirs[k], f"{path}/{k}", given_only)]
    if kind == "timestamp":
        if isinstance(ours, str):
            try:
                ours = datetime.datetime.fromisoformat(ours.replace("Z", "+00:00")).timestamp()
            except ValueError:
                ours = email.utils.parsedate_to_datetime(ours).timestamp()
        return [] if math.isclose(float(ours), theirs.timestamp(), abs_tol=1e-3) else [f"{path}: ours {ours}, botocore {theirs}"]
    if kind == "blob":
        data = theirs.read() if hasattr(theirs, "read") else theirs
        return [] if example_blob(ours) == data else [f"{path}: blobs differ"]
    if kind in ("float", "double"):
        return [] if math.isclose(float(ours), float(theirs), rel_tol=1e-9) else [f"{path}: ours {ours}, botocore {theirs}"]
    if kind == "document":
        return [] if ours == theirs else [f"{path}: documents differ"]
    return [] if ours == theirs else [f"{path}: ours {ours!r}, botocore {theirs!r}"]


def from_wire(member, value):
    """A value in the model's JSON form (an `@examples` entry) as botocore takes it."""
    return walk(member, value, example_scalar)


def example_scalar(member, value):
    kind = member.kind
    if kind == "blob":
        return example_blob(value)
    if kind == "timestamp":
        if isinstance(value, (int, float)):
            return datetime.datetime.fromtimestamp(value, datetime.timezone.utc)
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value


def example_blob(value):
    """A blob in an example: base64, as the specification says, or else (as AWS's
    examples often have it) the text itself."""
    if not isinstance(value, str):
        return value
    # As the runtime reads base64: padded or not, canonical.
    padded = value + "=" * (-len(value) % 4)
    try:
        data = base64.b64decode(padded, validate=True)
    except ValueError:
        return value.encode()
    canonical = base64.b64encode(data).decode()
    return data if canonical.rstrip("=") == value.rstrip("=") else value.encode()


def example_cases(op_shape):
    """(strategy, example input, ('example', output, error name)) for each `@examples`
    entry: the stub must answer with the example's output or error."""
    examples = op_shape.get("traits", {}).get("smithy.api#examples", [])
    seen = []
    for i, example in enumerate(examples):
        given = example.get("input", {})
        error = example.get("error", {}).get("shapeId")
        want = ("example", example.get("output"), error.split("#")[-1] if error else None)
        if given in seen:
            # The stub answers a request with the first example it matches.
            want = ("skip", f"the same input as example {seen.index(given) + 1}")
        seen.append(given)
        yield f"example:{i + 1}", given, want


def compare_client(rust, sdk_id, op_name, endpoint, shape, output, params, response):
    answer = rust.call(sdk_id, op_name, endpoint, to_wire(shape, params))
    if "error" in answer:
        return f"generated client: {answer['error'][:300]}"
    differences = same(output, answer["output"], response)
    return "generated client reads another output: " + "; ".join(differences[:4]) if differences else None


def run_example(client, op, output, params, expectation):
    """None when the stub answers as the example says, else what went wrong."""
    _, want_output, want_error = expectation
    try:
        response = client._make_api_call(op.name, params)
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code")
        if want_error is not None and code == want_error:
            return None
        message = error.response.get("Error", {}).get("Message") or ""
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return f"HTTP {status} {code}: {message[:300]}"
    except Exception as error:
        return f"{type(error).__name__}: {str(error)[:300]}"
    if want_error is not None:
        return f"expected {want_error}, got a success"
    response.pop("ResponseMetadata", None)
    differences = same(output, want_output or {}, response, given_only=True)
    return "the example's output differs: " + "; ".join(differences[:4]) if differences else None


def run_case(client, op, output, params, expectation):
    """None when the answer is as expected, else what went wrong."""
    if isinstance(expectation, tuple) and expectation[0] == "example":
        return run_example(client, op, output, params, expectation)
    try:
        response = client._make_api_call(op.name, params)
    except ClientError as error:
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        code = error.response.get("Error", {}).get("Code")
        message = error.response.get("Error", {}).get("Message") or ""
        if expectation == "ok":
            return f"HTTP {status} {code}: {message[:300]}"
        _, want_code, pointer = expectation
        if code != want_code or status != 400:
            return f"expected 400 {want_code}, got HTTP {status} {code}: {message[:300]}"
        if pointer is not None and f"'{pointer}'" not in message:
            return f"{code} does not name {pointer}: {message[:300]}"
        return None
    except Exception as error:  # botocore could not parse the answer, or send
        return f"{type(error).__name__}: {str(error)[:300]}"
    if expectation != "ok":
        return f"expected 400 {expectation[1]}, got a success"
    response.pop("ResponseMetadata", None)
    problems = check_output(output, response) if output is not None else []
    if problems:
        return "; ".join(problems[:5])
    return Success(response)


class Success:
    """A call that went as expected, with botocore's output."""

    def __init__(self, response):
        self.response = response


def listed_reason(expected, case):
    """The reason `case` is expected to fail: listed as itself, or under `service/op/*`."""
    if case in expected:
        return expected[case]
    return expected.get(case.rsplit("/", 1)[0] + "/*")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--expected-failures")
    parser.add_argument("--results")
    parser.add_argument("--client", help="the conformance-client program (generated clients)")
    parser.add_argument("models", nargs="+")
    args = parser.parse_args()

    expected = {}
    if args.expected_failures:
        with open(args.expected_failures) as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    case, _, reason = line.partition(" ")
                    expected[case] = reason.strip()

    session, services = service_models(args.models)
    results = {}
    table = []
    skipped = 0
    unexpected = []
    not_in_model = 0
    rust = RustClient(args.client) if args.client else None
    for model, name in services:
        sdk_id = model.service()[1]["traits"]["aws.api#service"]["sdkId"]
        config = Config(retries={"max_attempts": 1}, parameter_validation=False, inject_host_prefix=False)
        client = session.create_client(
            name, region_name="us-east-1", endpoint_url=args.endpoint, config=config,
            aws_access_key_id="AKIDCONFORMANCE", aws_secret_access_key="conformance-secret",
        )
        ours = model.operations()
        for op_name in client.meta.service_model.operation_names:
            if op_name not in ours:
                # botocore knows a newer (or older) version of the service.
                not_in_model += 1
                continue
            op = client.meta.service_model.operation_model(op_name)
            op_shape = model.shapes[ours[op_name]]
            input_ref = op_shape.get("input", {"target": "smithy.api#Unit"})
            output_ref = op_shape.get("output", {"target": "smithy.api#Unit"})
            shape = Member(model, input_ref)
            output = Member(model, output_ref)
            # Members botocore's endpoint resolution reads: it fails on one of the wrong
            # type, and on a missing one an operationContextParams path goes through.
            context_params = {n for n, m in shape.members().items() if "smithy.rules#contextParam" in m.traits}
            path_params = set()
            for param in op_shape.get("traits", {}).get("smithy.rules#operationContextParams", {}).values():
                path_params.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", param.get("path", "")))
            passed = total = listed_failures = 0
            examples = []
            for strategy, example, want in example_cases(op_shape):
                if want[0] == "skip":
                    results[f"{name}/{op_name}/{strategy}"] = f"skipped: {want[1]}"
                    skipped += 1
                else:
                    examples.append((strategy, from_wire(shape, example), want))
            for strategy, params, expectation in list(cases(shape, context_params | path_params, path_params)) + examples:
                case = f"{name}/{op_name}/{strategy}"
                try:
                    params = params() if callable(params) else params
                except CannotMake as error:
                    # The model allows no such input (a length its pattern cannot
                    # have), or the generator cannot make one: not a call to judge.
                    results[case] = f"skipped: {error}"
                    skipped += 1
                    continue
                outcome = run_case(client, op, output, params, expectation)
                if isinstance(outcome, Success):
                    outcome = compare_client(rust, sdk_id, op_name, args.endpoint, shape, output, params, outcome.response) if rust else None
                total += 1
                listed = listed_reason(expected, case)
                if outcome is None:
                    passed += 1
                    if listed is not None:
                        unexpected.append(f"{case}: passes but is listed as expected to fail")
                elif listed is not None:
                    listed_failures += 1
                    outcome = f"expected failure: {listed}"
                else:
                    unexpected.append(f"{case}: {outcome}")
                results[case] = outcome or "passed"
            table.append((name, op_name, passed, total, listed_failures))

    if rust:
        rust.close()
    services_seen = sorted({row[0] for row in table})
    print("| service | operations | cases | passed | expected failures | failed |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")

    def row(label, rows):
        total, passed, listed = (sum(r[i] for r in rows) for i in (3, 2, 4))
        print(f"| {label} | {len(rows)} | {total} | {passed} | {listed} | {total - passed - listed} |")

    for service in services_seen:
        row(service, [r for r in table if r[0] == service])
    row("all", table)

    # The same cases by strategy (the part of a case's name before its first `:`).
    print()
    print("| strategy | cases | passed | expected failures | failed |")
    print("| --- | ---: | ---: | ---: | ---: |")
    by_strategy = {}
    for case, outcome in results.items():
        if outcome.startswith("skipped"):
            continue
        kind = case.split("/", 2)[2].split(":")[0]
        counts = by_strategy.setdefault(kind, [0, 0, 0])
        counts[0 if outcome == "passed" else 1 if outcome.startswith("expected failure") else 2] += 1
    for kind, (passed, listed, failed) in sorted(by_strategy.items()):
        print(f"| {kind} | {passed + listed + failed} | {passed} | {listed} | {failed} |")
    print(f"{skipped} cases skipped: no input of that strategy could be made (see --results)")
    print(f"{not_in_model} operations botocore knows are not in the models given, so not called")
    for line in unexpected:
        print("FAIL", line)
    if args.results:
        with open(args.results, "w") as f:
            json.dump(results, f, indent=1, sort_keys=True)
    sys.exit(1 if unexpected else 0)


if __name__ == "__main__":
    main()
