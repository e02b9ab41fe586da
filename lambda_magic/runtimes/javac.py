"""Java for execution environments: the machine's JDK, the built-in runtime, and functions' code.

* :func:`java_runtime` compiles the built-in copies of ``com.amazonaws.services.lambda.runtime``
  and the bootstrap (``java/src``) once per JDK into a jar, with a class-data sharing archive
  that cuts class loading from every cold start (see ``java_archive``); its
  :meth:`JavaRuntime.command` is the ``java`` command line of an environment.
* :func:`compile_function` compiles a function's Java sources against that API into a classes
  directory (cached by the hash of the sources); :func:`class_files` turns it into the
  deployment package's files. A compile error raises :class:`JavaCompileError` with javac's
  messages (file, line, column).

Everything is cached under ``LAMBDA_MAGIC_HOME`` (else ``/var/tmp/lambda_magic-<uid>``, else
``~/.cache/lambda_magic``) in ``java/``, never under ``/tmp``, which environments replace.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
import subprocess
import uuid
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lambda_magic.platform import package
from lambda_magic.runtimes import java_archive
from lambda_magic.runtimes.javac_errors import JavaCompileError, JavaError, parse_diagnostics

__all__ = [
    "JavaCompileError", "JavaError", "JavaRuntime", "Jdk", "JdkNotFoundError", "cache_dir",
    "class_files", "compile_function", "find_jdk", "java_runtime", "jvm_options", "source_path",
]  # fmt: skip

JAVA_DIR = Path(__file__).with_name("java")
MIN_FEATURE = 17
BOOTSTRAP_CLASS = "lambdamagic.runtime.Bootstrap"
INSTALL_HINT = "install a JDK 17 or later (on Debian: apt-get install default-jdk-headless)"
#: javac itself starts twice as fast with C1 only; English messages whatever the locale.
JAVAC_JVM = ("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-J-Duser.language=en")
#: String concatenation through StringBuilder: the default (invokedynamic) costs a cold start
#: about 20 ms of method-handle set-up at the first concatenation that runs.
JAVAC_CODE = ("-proc:none", "-encoding", "UTF-8", "-XDstringConcat=inline", "-Xmaxerrs", "100")
_BUILD_FORMAT = "1"  # bump when the layout of a cached runtime changes


class JdkNotFoundError(JavaError):
    """No usable JDK (javac and java, version 17 or later) on this machine."""


@dataclass(frozen=True)
class Jdk:
    """A JDK: its ``javac`` and ``java`` and the version they report."""

    javac: str
    java: str
    version: str  # "17.0.15"
    feature: int  # 17


def _jdk_bin() -> Iterator[str]:
    home = os.environ.get("JAVA_HOME")
    if home:
        yield os.path.join(home, "bin")
    found = shutil.which("javac")
    if found:
        yield os.path.dirname(os.path.realpath(found))


@lru_cache(maxsize=1)
def find_jdk() -> Jdk:
    """The JDK of ``JAVA_HOME``, else the one whose ``javac`` is on ``PATH``."""
    for bindir in _jdk_bin():
        javac, java = os.path.join(bindir, "javac"), os.path.join(bindir, "java")
        if not (os.access(javac, os.X_OK) and os.access(java, os.X_OK)):
            continue
        out = subprocess.run([javac, "-version"], capture_output=True, text=True, check=False)
        match = re.search(r"javac (\d+)(\S*)", out.stdout + out.stderr)
        if not match:
            continue
        feature = int(match.group(1))
        if feature < MIN_FEATURE:
            raise JdkNotFoundError(
                f"Java functions need JDK {MIN_FEATURE} or later; {javac} is version "
                f"{match.group(1)}{match.group(2)}: {INSTALL_HINT}"
            )
        return Jdk(javac, java, match.group(1) + match.group(2), feature)
    raise JdkNotFoundError(
        f"Java functions need a JDK (javac and java): none found: {INSTALL_HINT}"
    )


def cache_dir() -> str:
    """Where compiled Java is kept between processes (``java/`` of the first writable root)."""
    for root in package._candidate_roots():
        path = os.path.join(root, "java")
        try:
            os.makedirs(path, mode=0o700, exist_ok=True)
        except OSError:
            continue
        if os.access(path, os.W_OK):
            return path
    raise OSError("no writable directory for compiled Java: set LAMBDA_MAGIC_HOME")


def _digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()[:20]


def _tree(root: Path) -> list[tuple[str, bytes]]:
    return sorted((p.relative_to(root).as_posix(), p.read_bytes()) for p in root.rglob("*.java"))


def _javac(
    jdk: Jdk,
    out: str,
    files: Sequence[str],
    classpath: Sequence[str] = (),
    release: int | None = None,
) -> subprocess.CompletedProcess[str]:
    argv = [jdk.javac, *JAVAC_JVM, *JAVAC_CODE, "-d", out]
    if classpath:
        argv += ["-cp", os.pathsep.join(classpath)]
    if release is not None:
        argv += ["--release", str(release)]
    return subprocess.run([*argv, *files], capture_output=True, text=True, check=False)


def _publish(partial: str, final: str) -> None:
    """Move a finished build into place; if another process got there first, keep theirs."""
    try:
        os.rename(partial, final)
    except OSError:
        if not os.path.isdir(final):
            raise
        shutil.rmtree(partial, ignore_errors=True)


def _partial(final: str) -> str:
    return f"{final}.tmp-{os.getpid()}-{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True)
class JavaRuntime:
    """The built-in Java runtime compiled for one JDK."""

    jdk: Jdk
    directory: str
    jar: str  # the API and the bootstrap: the runtime's class path
    api: str  # the API's classes: what functions compile against
    archive: str | None  # the class-data sharing archive, when one could be made
    archive_problem: str | None = field(default=None, compare=False)

    def command(self, memory_mb: int, environment: Mapping[str, str] | None = None) -> list[str]:
        """The ``java`` command line of an environment of ``memory_mb`` MB: the heap at 85% of
        it, C1 only (as Lambda's Java runtime starts its JVM); the options the function sets in
        ``JAVA_TOOL_OPTIONS`` replace these defaults (the JVM reads that variable itself)."""
        return [
            self.jdk.java,
            *jvm_options(memory_mb, environment, self.archive),
            "-cp",
            self.jar,
            BOOTSTRAP_CLASS,
        ]


def jvm_options(
    memory_mb: int, environment: Mapping[str, str] | None = None, archive: str | None = None
) -> list[str]:
    """The JVM options of a Java environment of ``memory_mb`` MB (see :meth:`JavaRuntime.command`)."""
    tool = (environment or {}).get("JAVA_TOOL_OPTIONS", "")
    try:
        given = shlex.split(tool)
    except ValueError:
        given = tool.split()

    def set_by_function(*prefixes: str) -> bool:
        return any(o.startswith(p) for o in given for p in prefixes)

    options = []
    if not set_by_function("-Xmx", "-XX:MaxHeapSize=", "-XX:MaxRAMPercentage="):
        options.append("-XX:MaxHeapSize=%dk" % round(memory_mb * 1024 * 0.85))
    if not any(re.fullmatch(r"-XX:\+Use\w+GC", o) for o in given):
        options.append("-XX:+UseSerialGC")
    if not set_by_function(
        "-XX:TieredStopAtLevel=", "-XX:+TieredCompilation", "-XX:-TieredCompilation"
    ):
        options += ["-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1"]
    if archive and not set_by_function("-Xshare:", "-XX:SharedArchiveFile="):
        options += ["-Xshare:auto", "-XX:SharedArchiveFile=" + archive]
    options.append("-Djava.net.preferIPv4Stack=true")
    return options


@lru_cache(maxsize=4)
def java_runtime(jdk: Jdk | None = None) -> JavaRuntime:
    """The built-in runtime for ``jdk`` (the machine's by default), built on first use."""
    jdk = jdk or find_jdk()
    parts: list[str | bytes] = [_BUILD_FORMAT, jdk.version, os.path.realpath(jdk.java)]
    for name, data in _tree(JAVA_DIR / "src") + _tree(JAVA_DIR / "train"):
        parts += [name, data]
    final = os.path.join(cache_dir(), "runtime-" + _digest(*parts))
    if not os.path.isdir(final):
        partial = _partial(final)
        try:
            _build_runtime(jdk, partial)
            _publish(partial, final)
        finally:
            shutil.rmtree(partial, ignore_errors=True)
    return _with_archive(jdk, final)


def _build_runtime(jdk: Jdk, partial: str) -> None:
    """Compile the API alone (what functions compile against) and with the bootstrap (the jar)."""
    src = JAVA_DIR / "src"
    api = sorted(str(p) for p in (src / "com").rglob("*.java"))
    everything = sorted(str(p) for p in src.rglob("*.java"))
    classes = os.path.join(partial, "classes")
    for out, files in ((os.path.join(partial, "api"), api), (classes, everything)):
        done = _javac(jdk, out, files)
        if done.returncode != 0:
            raise JavaError("the built-in Java runtime does not compile:\n" + done.stderr.strip())
    with zipfile.ZipFile(os.path.join(partial, "bootstrap.jar"), "w", zipfile.ZIP_STORED) as jar:
        jar.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n")
        for path in sorted(Path(classes).rglob("*.class")):
            jar.write(path, path.relative_to(classes).as_posix())
    shutil.rmtree(classes)


def _with_archive(jdk: Jdk, directory: str) -> JavaRuntime:
    """The runtime in ``directory``, with its class-data archive (made now if it is missing)."""
    jar, api = os.path.join(directory, "bootstrap.jar"), os.path.join(directory, "api")
    archive = os.path.join(directory, "bootstrap.jsa")
    failed = os.path.join(directory, "archive-failed.txt")
    problem = None
    if not os.path.exists(archive) and not os.path.exists(failed):
        problem = _make_archive(jdk, directory, jar, api, archive)
        if problem is not None:
            Path(failed).write_text(problem + "\n")
    elif os.path.exists(failed):
        problem = Path(failed).read_text().strip()
    found = archive if os.path.exists(archive) else None
    return JavaRuntime(jdk, directory, jar, api, found, problem)


def _make_archive(jdk: Jdk, directory: str, jar: str, api: str, archive: str) -> str | None:
    """Train and write the archive, then check that this JDK maps it (a JVM given an archive it
    cannot use says so on standard output, which would land in every function's logs)."""
    task_root = _partial(os.path.join(directory, "train"))
    options = [jdk.java, *jvm_options(512)]
    try:
        files = sorted(str(p) for p in (JAVA_DIR / "train").rglob("*.java"))
        done = _javac(jdk, task_root, files, [api])
        if done.returncode != 0:
            return "the training handlers do not compile: " + done.stderr.strip()
        problem = java_archive.build_archive(options, jar, task_root, archive)
    finally:
        shutil.rmtree(task_root, ignore_errors=True)
    if problem is None:
        check = [*options, "-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-cp", jar, "-version"]
        done = subprocess.run(check, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            os.unlink(archive)
            problem = "the JVM cannot use the archive: " + (done.stdout + done.stderr).strip()
    return problem


def compile_function(
    sources: Mapping[str, str | bytes],
    *,
    release: int | None = None,
    classpath: Sequence[str] = (),
    jdk: Jdk | None = None,
) -> str:
    """Compile a function's Java ``sources`` (``{"example/Hello.java": code}``) against the
    built-in API (and the jars in ``classpath``) into a classes directory, reused while the
    sources, options and JDK are the same. ``release`` is javac's ``--release`` (17 for a
    ``java17`` function). A compile error raises :class:`JavaCompileError`."""
    runtime = java_runtime(jdk)
    if release is not None and release > runtime.jdk.feature:
        raise JavaError(
            f"Java {release} code needs JDK {release} or later; this machine's JDK is "
            f"{runtime.jdk.version} ({runtime.jdk.javac})"
        )
    parts: list[str | bytes] = [_BUILD_FORMAT, runtime.jdk.version, runtime.directory, str(release)]
    for path in classpath:
        stat = os.stat(path)
        parts += [os.path.abspath(path), str(stat.st_size), str(stat.st_mtime_ns)]
    names = sorted(sources)
    for name in names:
        if package.check_path(name) != name.replace("\\", "/") or not name.endswith(".java"):
            raise JavaError(f"Java source path {name!r} must be a relative path ending in .java")
        parts += [name, sources[name]]
    final = os.path.join(cache_dir(), "classes-" + _digest(*parts))
    if os.path.isdir(final):
        return final
    work = _partial(final)
    try:
        files = []
        for name in names:
            path = os.path.join(work, "src", name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            data = sources[name]
            with open(path, "wb") as f:
                f.write(data.encode() if isinstance(data, str) else data)
            files.append(path)
        out = os.path.join(work, "classes")
        os.makedirs(out)
        done = _javac(runtime.jdk, out, files, [runtime.api, *classpath], release)
        if done.returncode != 0:
            raise JavaCompileError(parse_diagnostics(done.stderr, os.path.join(work, "src")))
        _publish(out, final)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return final


def class_files(classes_dir: str) -> dict[str, bytes]:
    """The files of a classes directory, by path relative to it (a deployment package's files)."""
    root = Path(classes_dir)
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


_COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/|\"(?:\\.|[^\"\\])*\"", re.S)
_PACKAGE = re.compile(r"^\s*package\s+([\w.]+)\s*;", re.M)
_PUBLIC_TYPE = re.compile(
    r"\bpublic\s+(?:(?:abstract|final|sealed|non-sealed|strictfp)\s+)*"
    r"(?:class|interface|enum|record|@interface)\s+(\w+)"
)
_ANY_TYPE = re.compile(r"\b(?:class|interface|enum|record)\s+(\w+)")


def source_path(code: str) -> str:
    """Where javac expects ``code``: its package's directories and its public type's name
    (``package example; public class Hello`` is ``example/Hello.java``)."""
    text = _COMMENTS.sub(lambda m: '""' if m.group(0).startswith('"') else " ", code)
    pkg = _PACKAGE.search(text)
    found = _PUBLIC_TYPE.search(text) or _ANY_TYPE.search(text)
    if found is None:
        raise JavaError("the Java source declares no class, interface, enum or record")
    directory = pkg.group(1).replace(".", "/") + "/" if pkg else ""
    return directory + found.group(1) + ".java"
