"""The host side of Java functions: compiling with the machine's javac (cached, errors shown with
file, line and column), a clear message without a JDK, and the JVM's command line."""

from __future__ import annotations

import os
import subprocess

import pytest

from lambda_magic.runtimes import javac

GOOD = """package demo;

public class Good {
    public String handle(String in) {
        return in;
    }
}
"""


def test_a_compile_error_shows_file_line_and_column(java_runtime: javac.JavaRuntime) -> None:
    bad = GOOD.replace("return in;", "return in\n        missing();")
    with pytest.raises(javac.JavaCompileError) as caught:
        javac.compile_function({"demo/Good.java": bad})
    assert str(caught.value) == (
        "Java compilation failed (1 error):\n"
        "demo/Good.java:5:18: error: ';' expected\n"
        "        return in\n"
        "                 ^"
    )
    [diagnostic] = caught.value.diagnostics
    assert (diagnostic.path, diagnostic.line, diagnostic.column) == ("demo/Good.java", 5, 18)


def test_many_errors_are_shortened(java_runtime: javac.JavaRuntime) -> None:
    calls = "\n".join(f"        nothing{i}();" for i in range(8))
    bad = GOOD.replace("        return in;", calls + "\n        return in;")
    with pytest.raises(javac.JavaCompileError) as caught:
        javac.compile_function({"demo/Good.java": bad})
    message = str(caught.value)
    assert message.startswith(
        "Java compilation failed (8 errors):\ndemo/Good.java:5:9: error: cannot find symbol\n"
    )
    assert "  symbol:   method nothing0()\n  location: class Good\n" in message
    assert message.count("error: cannot find symbol") == 5
    assert message.endswith("... and 3 more")
    assert len(caught.value.diagnostics) == 8


def test_a_release_newer_than_the_jdk_is_refused(java_runtime: javac.JavaRuntime) -> None:
    newer = java_runtime.jdk.feature + 1
    with pytest.raises(javac.JavaError, match=f"Java {newer} code needs JDK {newer} or later"):
        javac.compile_function({"demo/Good.java": GOOD}, release=newer)
    # The JDK's own release compiles (as javac --release N).
    assert javac.compile_function({"demo/Good.java": GOOD}, release=java_runtime.jdk.feature)


def test_compiled_classes_are_cached_by_content(java_runtime: javac.JavaRuntime) -> None:
    first = javac.compile_function({"demo/Good.java": GOOD})
    assert javac.compile_function({"demo/Good.java": GOOD}) == first
    assert javac.class_files(first).keys() == {"demo/Good.class"}
    other = javac.compile_function(
        {"demo/Good.java": GOOD.replace("return in;", "return in + in;")}
    )
    assert other != first


def test_where_a_source_goes() -> None:
    assert javac.source_path(GOOD) == "demo/Good.java"
    assert javac.source_path("/* package x; */ class A {}\npublic final class B {}") == "B.java"
    assert javac.source_path("// public class Wrong\nrecord R(int a) {}") == "R.java"
    with pytest.raises(javac.JavaError, match="declares no class"):
        javac.source_path("int x = 1;")


def test_no_jdk_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: os.PathLike[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    javac.find_jdk.cache_clear()
    try:
        with pytest.raises(javac.JdkNotFoundError) as caught:
            javac.find_jdk()
    finally:
        javac.find_jdk.cache_clear()
    assert str(caught.value) == ("Java functions need a JDK (javac and java): none found: install a JDK"
                                 " 17 or later (on Debian: apt-get install default-jdk-headless)")  # fmt: skip


def test_jvm_options_follow_the_memory_and_java_tool_options() -> None:
    assert javac.jvm_options(1024) == [
        "-XX:MaxHeapSize=891290k", "-XX:+UseSerialGC", "-XX:+TieredCompilation",
        "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true",
    ]  # fmt: skip
    tool = {"JAVA_TOOL_OPTIONS": "-Xmx64m -XX:TieredStopAtLevel=4 -XX:+UseG1GC"}
    assert javac.jvm_options(1024, tool) == ["-Djava.net.preferIPv4Stack=true"]


def test_the_class_data_archive_is_usable(java_runtime: javac.JavaRuntime) -> None:
    assert java_runtime.archive is not None, java_runtime.archive_problem
    # -Xshare:on refuses to start when the archive does not match this JDK and class path.
    options = [o for o in java_runtime.command(256) if o.startswith("-XX:")]
    done = subprocess.run([java_runtime.jdk.java, *options, "-Xshare:on", "-cp", java_runtime.jar,
                           "-version"], capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
