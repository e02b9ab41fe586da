"""The Java runtimes: ``java17`` and ``java21``, run by the machine's JDK with the built-in
bootstrap (``java/src``; see :mod:`lambda_magic.runtimes.javac`).

A cell holds one Java source file; its package and public class say where it goes
(``package example; public class Hello`` is ``example/Hello.java``) and give the handler
(``example.Hello::handleRequest``). Building the package compiles every ``.java`` file of the
function with ``javac --release <feature>`` against the built-in copies of
``com.amazonaws.services.lambda.runtime`` (cached by content); the classes, not the sources,
are the package, as in a deployed jar. A compile error names the file, line and column and
nothing starts. The heap is sized from the memory setting, as Lambda's Java runtime sizes it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from lambda_magic.core.config import FunctionConfig
from lambda_magic.core.errors import ErrorPayload, PackageError
from lambda_magic.runtimes import javac
from lambda_magic.runtimes.base import Package, custom_command, version_arn_digest

IDS = ("java17", "java21")
DEFAULT_HANDLER = "example.Handler::handleRequest"
_METHOD = re.compile(r"\bpublic\s+(?:static\s+)?(?:final\s+)?[\w<>\[\],.? ]+?\s+(\w+)\s*\(")


@dataclass(frozen=True)
class JavaRuntime:
    """A Java runtime id, served by this machine's JDK."""

    id: str = "java21"
    default_handler: str = DEFAULT_HANDLER

    @property
    def feature(self) -> int:
        """The Java version the id names (21)."""
        return int(self.id[4:])

    def _jdk(self) -> javac.Jdk:
        try:
            return javac.find_jdk()
        except javac.JavaError as e:
            raise PackageError(f"{self.id}: {e}") from None

    @property
    def version_label(self) -> str:
        """``java:17.v15``: the JDK's feature version, its update after ``v``."""
        try:
            version = javac.find_jdk().version
        except javac.JavaError:
            return f"java:{self.feature}.v0"
        parts = re.findall(r"\d+", version)
        return f"java:{parts[0]}.v{parts[2] if len(parts) > 2 else 0}"

    @property
    def version_digest(self) -> str:
        """The runtime version ARN's digest for this JDK and lambda_magic."""
        from lambda_magic.core.version import __version__

        return version_arn_digest(self.version_label, f"{self.version_label}|{__version__}")

    @property
    def execution_env(self) -> str:
        """``AWS_Lambda_java21``."""
        return f"AWS_Lambda_{self.id}"

    def main_file(self, code: str) -> str | None:
        """The path javac expects: ``example/Hello.java``; None for blank code."""
        if not code.strip():
            return None
        try:
            return javac.source_path(code)
        except javac.JavaError as e:
            raise PackageError(f"the cell is not a Java class: {e}") from None

    def infer_handler(self, code: str) -> str:
        """``<package>.<Class>::handleRequest``, or ``::<method>`` with the class's first public
        method when it has no ``handleRequest``."""
        try:
            path = javac.source_path(code)
        except javac.JavaError:
            return DEFAULT_HANDLER
        cls = path[: -len(".java")].replace("/", ".")
        methods = [m for m in _METHOD.findall(code) if m != cls.rsplit(".", 1)[-1]]
        method = "handleRequest" if "handleRequest" in methods or not methods else methods[0]
        return f"{cls}::{method}"

    def check_syntax(self, code: str, path: str) -> ErrorPayload | None:
        """None: javac has already refused code that does not compile (see :meth:`build`)."""
        return None

    def require_tools(self) -> None:
        """A JDK 17 or later (javac and java)."""
        self._jdk()

    def _release(self) -> int:
        return min(self.feature, self._jdk().feature)

    def machine_note(self) -> str | None:
        """Which JDK compiles and runs the function when it is not the id's version."""
        try:
            jdk = javac.find_jdk()
        except javac.JavaError:
            return None
        if jdk.feature == self.feature:
            return None
        return (
            f"{self.id} was asked for; this machine's JDK {jdk.version} compiles "
            f"(--release {self._release()}) and runs it"
        )

    def build(self, files: Mapping[str, bytes]) -> Package:
        """Compile the ``.java`` files; the package holds the classes and the other files."""
        sources = {p: c for p, c in files.items() if p.endswith(".java")}
        others = {p: c for p, c in files.items() if not p.endswith(".java")}
        if not sources:
            return Package(others)
        release = self._release()
        try:
            classes = javac.compile_function(sources, release=release)
        except javac.JavaError as e:
            raise PackageError(str(e)) from None
        return Package({**others, **javac.class_files(classes)})

    def entrypoint_problem(self, task_root: str, task_root_inside: str) -> str | None:
        """None: the built-in bootstrap is always there."""
        return None

    def command(
        self, config: FunctionConfig, task_root: str, task_root_inside: str
    ) -> list[str] | None:
        """``java`` with the heap at 85% of the memory (or ``runtime_command``)."""
        custom = custom_command(config)
        if custom is not None:
            return custom
        self._jdk()
        return javac.java_runtime().command(config.memory_size, config.environment)
