"""Versions and aliases: Lambda's immutable snapshots of a function, and names that point at them.

``fn.publish_version()`` snapshots the code and configuration of ``$LATEST`` as version 1, 2,
... (nothing new is published when nothing changed since the last version, as on Lambda).
Each version runs in environments of its own: START says ``Version: 3``, and so do
``AWS_LAMBDA_FUNCTION_VERSION``, the context, the log stream ``[3]`` and the result's
``executed_version``. An alias names a version, optionally with a second one that gets a
weight of the traffic (``routing={"2": 0.1}``); invoking ``fn.invoke(event, qualifier="live")``
picks one per invocation. Provisioned concurrency is set on a version or an alias, as Lambda
requires (``$LATEST`` keeps its ``provisioned_concurrency`` setting, a local convenience).
"""

from __future__ import annotations

import random
import re
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lambda_magic.api import code
from lambda_magic.core.config import LATEST, FunctionConfig
from lambda_magic.core.errors import InvalidRequestError
from lambda_magic.core.lifecycle import PROVISIONED
from lambda_magic.engine.init import InitOutcome, prewarm
from lambda_magic.engine.pool import same_revision
from lambda_magic.engine.services import Revision
from lambda_magic.runtimes.base import Package

if TYPE_CHECKING:
    from lambda_magic.api.function import LambdaFunction
    from lambda_magic.runtimes.base import Runtime

_ALIAS_RE = re.compile(r"(?!^[0-9]+$)[a-zA-Z0-9_-]{1,128}")
#: Lambda's limit on the length of a description.
DESCRIPTION_LIMIT = 256


def _invalid(message: str) -> InvalidRequestError:
    return InvalidRequestError("InvalidParameterValueException", message)


def not_found(arn: str) -> InvalidRequestError:
    """Lambda's ``ResourceNotFoundException`` for a function, version or alias."""
    return InvalidRequestError("ResourceNotFoundException", f"Function not found: {arn}")


def _check_description(description: str) -> str:
    if not isinstance(description, str) or len(description) > DESCRIPTION_LIMIT:
        raise _invalid(f"description must be a string of at most {DESCRIPTION_LIMIT} characters")
    return description


@dataclass(frozen=True)
class Version:
    """One published version: the code and configuration of ``$LATEST`` when it was published."""

    number: str
    description: str
    config: FunctionConfig  # its ``version`` is ``number``
    files: Mapping[str, bytes] = field(repr=False)
    runtime: Runtime = field(repr=False)
    source_revision: int  # the revision of $LATEST it was published from
    code_sha256: str
    code_size: int
    last_modified: float = field(default_factory=time.time)
    revision_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    #: The built deployment package (compiled, dependencies installed) its environments run.
    package: Package | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Alias:
    """A name for a version, optionally sharing its traffic with a second version."""

    name: str
    version: str
    description: str = ""
    #: ``{"2": 0.1}``: version 2 gets 10% of the invocations, ``version`` the rest.
    routing: Mapping[str, float] = field(default_factory=dict)
    revision_id: str = field(default_factory=lambda: str(uuid.uuid4()))


@dataclass(frozen=True)
class Target:
    """What one invocation runs: a revision, the version it reports, and the ARN invoked."""

    revision: Revision | None  # None: the function's current revision ($LATEST)
    version: str
    invoked_arn: str | None  # None: the unqualified ARN


class Versions(Mapping[str, Version]):
    """The published versions of one function (a mapping ``"1" -> Version``), its aliases and
    the provisioned concurrency set on them."""

    def __init__(self, fn: LambdaFunction) -> None:
        self.fn = fn
        self._versions: dict[str, Version] = {}
        self.aliases: dict[str, Alias] = {}
        #: Provisioned concurrency requested per qualifier (a version number or an alias).
        self.provisioned: dict[str, int] = {}
        self._revisions: dict[str, Revision] = {}
        self._lock = threading.RLock()
        self._random = random.Random()

    # -- the mapping of versions -----------------------------------------------------------------
    def __getitem__(self, number: str) -> Version:
        return self._versions[number]

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._versions))

    def __len__(self) -> int:
        return len(self._versions)

    def __repr__(self) -> str:
        aliases = ", ".join(f"{a.name} -> {describe_alias(a)}" for a in self.aliases.values())
        return f"<Versions of {self.fn.name}: {list(self._versions) or 'none'}; aliases: {aliases or 'none'}>"

    # -- publishing ------------------------------------------------------------------------------
    def publish(self, description: str = "") -> Version:
        """Publish ``$LATEST`` as a new version; the newest version again when neither the code
        nor the configuration changed since it was published (as Lambda does)."""
        _check_description(description)
        fn = self.fn
        with self._lock:
            files, config, runtime, revision, built = fn.snapshot()
            sha, size = code.digest(files)
            newest = self._versions[str(len(self._versions))] if self._versions else None
            if (
                newest is not None
                and newest.code_sha256 == sha
                and newest.config == config.replace(version=newest.number)
            ):
                return newest
            number = str(len(self._versions) + 1)
            version = Version(
                number,
                description,
                config.replace(version=number),
                dict(files),
                runtime,
                revision,
                sha,
                size,
                package=built,
            )
            self._versions[number] = version
        fn.code_dir()  # the package of that revision exists on disk from now on
        return version

    def revision(self, number: str) -> Revision:
        """What the environments of version ``number`` run (made once)."""
        with self._lock:
            found = self._revisions.get(number)
            if found is None:
                version = self._versions[number]
                found = Revision(
                    self.fn.name,
                    version.config,
                    version.source_revision,
                    self._code_dir(version),
                    self.fn.work_dir(),
                    version.runtime,
                )
                self._revisions[number] = found
            return found

    def _code_dir(self, version: Version) -> str:
        built = version.package or Package(version.files)
        return self.fn.package.code_dir(version.source_revision, built.files, built.trees)

    def kept(self, revision: Revision) -> bool:
        """Whether environments of ``revision`` still run: the current revision's, or a
        published version's."""
        if same_revision(revision, self.fn.current_revision()):
            return True
        number = revision.config.version
        return number in self._revisions and same_revision(revision, self._revisions[number])

    def forget_files(self) -> None:
        """The function's files were removed: versions write their packages again when used."""
        with self._lock:
            self._revisions.clear()

    def delete_version(self, number: str) -> None:
        """Delete version ``number`` (refused while an alias points at it); its environments
        shut down."""
        if number == LATEST or number in self.aliases:
            raise _invalid(f"{number} is not a published version: only versions can be deleted")
        with self._lock:
            if number not in self._versions:
                raise not_found(f"{self.fn.config.function_arn}:{number}")
            users = [a.name for a in self.aliases.values() if number in (a.version, *a.routing)]
            if users:
                raise InvalidRequestError(
                    "ResourceConflictException",
                    f"Unable to delete version because the following aliases reference it: {users}",
                )
            del self._versions[number]
            self._revisions.pop(number, None)
            self.provisioned.pop(number, None)
        self.fn.pool.retire_idle()

    # -- aliases ---------------------------------------------------------------------------------
    def _check_target(self, version: str, routing: Mapping[str, float]) -> dict[str, float]:
        if version != LATEST and version not in self._versions:
            raise not_found(f"{self.fn.config.function_arn}:{version}")
        if len(routing) > 1:
            raise _invalid("an alias can route to at most one additional version")
        checked = {}
        for extra, weight in routing.items():
            if extra == version or extra not in self._versions:
                raise _invalid(
                    f"the additional version {extra!r} must be a published version other than "
                    f"{version}; published: {', '.join(self._versions) or 'none'}"
                )
            if version == LATEST:
                raise _invalid(
                    "an alias with routing must point to published versions, not $LATEST"
                )
            if isinstance(weight, bool) or not isinstance(weight, (int, float)):
                raise _invalid(f"the weight of version {extra} must be a number from 0 to 1")
            if not 0.0 <= float(weight) <= 1.0:
                raise _invalid(f"the weight of version {extra} must be from 0 to 1; got {weight}")
            checked[extra] = float(weight)
        return checked

    def create_alias(
        self,
        name: str,
        version: str,
        routing: Mapping[str, float] | None = None,
        description: str = "",
    ) -> Alias:
        """Create alias ``name`` for ``version`` (``routing={"2": 0.1}`` sends 10% to 2)."""
        if not isinstance(name, str) or not _ALIAS_RE.fullmatch(name):
            raise _invalid(
                f"alias name {name!r} is invalid: 1 to 128 letters, digits, - or _, not only digits"
            )
        if name == LATEST:
            raise _invalid("$LATEST cannot be an alias name")
        with self._lock:
            if name in self.aliases:
                raise InvalidRequestError(
                    "ResourceConflictException",
                    f"Alias already exists: {self.fn.config.function_arn}:{name}",
                )
            weights = self._check_target(str(version), routing or {})
            alias = Alias(name, str(version), _check_description(description), weights)
            self.aliases[name] = alias
        return alias

    def alias(self, name: str) -> Alias:
        """The alias ``name`` (ResourceNotFoundException when there is none)."""
        try:
            return self.aliases[name]
        except KeyError:
            raise InvalidRequestError(
                "ResourceNotFoundException",
                f"Alias not found: {self.fn.config.function_arn}:{name}",
            ) from None

    def update_alias(
        self,
        name: str,
        version: str | None = None,
        routing: Mapping[str, float] | None = None,
        description: str | None = None,
    ) -> Alias:
        """Point alias ``name`` elsewhere, change its routing or its description."""
        with self._lock:
            old = self.alias(name)
            target = str(version) if version is not None else old.version
            weights = self._check_target(target, old.routing if routing is None else routing)
            text = old.description if description is None else _check_description(description)
            alias = Alias(name, target, text, weights)
            self.aliases[name] = alias
        if name in self.provisioned:
            self.reconcile()
        return alias

    def delete_alias(self, name: str) -> None:
        """Delete alias ``name`` (and the provisioned concurrency set on it)."""
        with self._lock:
            self.alias(name)
            del self.aliases[name]
            had = self.provisioned.pop(name, None)
        if had:
            self.reconcile()

    # -- invoking --------------------------------------------------------------------------------
    def resolve(self, qualifier: str | None) -> Target:
        """What an invocation of ``qualifier`` runs (an alias picks one of its versions by
        weight, each time); ResourceNotFoundException for an unknown version or alias."""
        if qualifier is None:
            return Target(None, LATEST, None)
        arn = self.fn.config.function_arn
        if qualifier == LATEST:
            return Target(None, LATEST, f"{arn}:{LATEST}")
        if qualifier in self._versions:
            return Target(self.revision(qualifier), qualifier, f"{arn}:{qualifier}")
        alias = self.aliases.get(qualifier)
        if alias is None:
            raise not_found(f"{arn}:{qualifier}")
        number = alias.version
        for extra, weight in alias.routing.items():
            if self._random.random() < weight:
                number = extra
        if number == LATEST:
            return Target(None, LATEST, f"{arn}:{qualifier}")
        return Target(self.revision(number), number, f"{arn}:{qualifier}")

    # -- provisioned concurrency -----------------------------------------------------------------
    def set_provisioned(self, qualifier: str, count: int) -> list[InitOutcome]:
        """Keep ``count`` environments of a version or alias initialized ahead of time (0 removes
        the setting); returns the outcomes of the Inits it started."""
        if qualifier == LATEST or (
            qualifier not in self._versions and qualifier not in self.aliases
        ):
            if qualifier == LATEST or qualifier.isdigit():
                raise _invalid(
                    "Provisioned Concurrency Configs cannot be applied to unpublished function "
                    "versions: publish a version (or make an alias) first"
                )
            self.alias(qualifier)
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise _invalid(
                f"provisioned concurrency must be a whole number of at least 0; got {count!r}"
            )
        reserved = self.fn.config.reserved_concurrency
        others = sum(n for q, n in self.provisioned.items() if q != qualifier)
        if reserved is not None and others + count > reserved:
            raise _invalid(
                f"provisioned concurrency ({others + count} in all) cannot exceed the function's "
                f"reserved concurrency ({reserved})"
            )
        with self._lock:
            if count:
                self.provisioned[qualifier] = count
            else:
                self.provisioned.pop(qualifier, None)
        return self.reconcile()

    def wanted(self) -> dict[str, int]:
        """Provisioned environments wanted per version: an alias's count is split between its
        versions by weight."""
        want: dict[str, int] = {}
        for qualifier, count in self.provisioned.items():
            alias = self.aliases.get(qualifier)
            if alias is None:
                want[qualifier] = want.get(qualifier, 0) + count
                continue
            rest = count
            for extra, weight in alias.routing.items():
                share = round(count * weight)
                want[extra] = want.get(extra, 0) + share
                rest -= share
            want[alias.version] = want.get(alias.version, 0) + rest
        return {v: n for v, n in want.items() if v != LATEST}

    def reconcile(self) -> list[InitOutcome]:
        """Start the provisioned environments that are missing, and shut down idle ones no
        longer wanted."""
        pool = self.fn.pool
        want = self.wanted()
        with self._lock:
            numbers = set(want) | set(self._revisions)
        surplus, missing = [], []
        for number in sorted(numbers):
            revision = self.revision(number)
            live = pool.provisioned(revision)
            keep = want.get(number, 0)
            surplus += [e for e in live if not e.busy][: max(0, len(live) - keep)]
            missing += [revision] * max(0, keep - len(live))
        pool.shutdown(surplus)
        return provision(self.fn, list(missing))


def _same_config(version: Version, config: FunctionConfig) -> bool:
    """Whether ``config`` is the configuration ``version`` was published with (concurrency
    settings are the function's, not a version's)."""
    keep = {"reserved_concurrency": None, "provisioned_concurrency": 0}
    return version.config.replace(**keep) == config.replace(version=version.number, **keep)


def provision(fn: LambdaFunction, revisions: list[Revision | None]) -> list[InitOutcome]:
    """Initialize one provisioned environment per item of ``revisions`` (None: the current
    revision), in parallel; their first invoke has no Init."""
    envs = [fn.pool.acquire(PROVISIONED, new=True, revision=r) for r in revisions]
    outcomes: list[InitOutcome] = []
    threads = [threading.Thread(target=lambda e=e: outcomes.append(prewarm(e))) for e in envs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for env in envs:
        fn.pool.release(env)
    return outcomes


def describe_alias(alias: Alias) -> str:
    """``2`` or ``2 (90%), 3 (10%)``."""
    if not alias.routing:
        return alias.version
    extra = sum(alias.routing.values())
    parts = [f"{alias.version} ({(1 - extra) * 100:.0f}%)"]
    parts += [f"{v} ({w * 100:.0f}%)" for v, w in alias.routing.items()]
    return ", ".join(parts)
