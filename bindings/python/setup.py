"""Builds the pip_policy wheel: the metadata is in pyproject.toml; this file
adds what setuptools cannot know by itself.

- The version is the one of ``project(pip VERSION ...)`` in the repository's
  CMakeLists.txt, so the wheel and the compiled module agree.
- build_ext runs CMake on the repository, with the tests, tools, benchmarks
  and examples off, and builds only the target ``_pip_policy`` (which
  brings the pip.v1 message classes and the default policy's text with it),
  then copies the compiled module, ``v1/`` and ``policy/`` from the CMake
  build tree into the package.

Environment (all optional):

``PIP_CMAKE_BUILD_DIR``
    the CMake build tree (default: a directory under setuptools' build_temp);
    a kept one makes the next build incremental.
``PIP_CMAKE_ARGS``
    more arguments for the CMake configure step, split on spaces.
``CMAKE_BUILD_PARALLEL_LEVEL``
    jobs for the CMake build (default 2).
``CMAKE_CXX_COMPILER_LAUNCHER``
    read by CMake itself: e.g. ``ccache``.
"""

import os
import pathlib
import re
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def _version() -> str:
    text = (ROOT / "CMakeLists.txt").read_text(encoding="utf-8")
    match = re.search(r"project\(\s*pip\s+VERSION\s+([0-9.]+)", text)
    if not match:
        raise RuntimeError(f"{ROOT / 'CMakeLists.txt'}: no project(pip VERSION ...)")
    return match.group(1)


class CMakeBuild(build_ext):
    """build_ext for the one extension, pip_policy._pip_policy, by CMake."""

    def build_extension(self, ext: Extension) -> None:
        build_dir = pathlib.Path(os.environ.get("PIP_CMAKE_BUILD_DIR") or
                                 pathlib.Path(self.build_temp).resolve() / "cmake")
        build_dir.mkdir(parents=True, exist_ok=True)
        configure = [
            "cmake", "-S", str(ROOT), "-B", str(build_dir),
            "-DCMAKE_BUILD_TYPE=Release",
            "-DPIP_BUILD_PYTHON=ON", "-DPIP_BUILD_TESTS=OFF", "-DPIP_BUILD_TOOLS=OFF",
            "-DPIP_BUILD_BENCHMARKS=OFF", "-DPIP_BUILD_EXAMPLES=OFF",
            "-DPIP_BUILD_FUZZERS=OFF",
            # The interpreter building the wheel is the one it is for.
            f"-DPython_EXECUTABLE={sys.executable}",
        ]
        if shutil.which("ninja") and not (build_dir / "CMakeCache.txt").exists():
            configure += ["-G", "Ninja"]
        configure += os.environ.get("PIP_CMAKE_ARGS", "").split()
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2")
        subprocess.run(configure, check=True)
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "_pip_policy",
                        "-j", jobs], check=True)

        built = build_dir / "bindings" / "python" / "pip_policy"
        target = pathlib.Path(self.get_ext_fullpath(ext.name)).parent
        modules = sorted(built.glob("_pip_policy*.so")) + sorted(built.glob("_pip_policy*.pyd"))
        if len(modules) != 1:
            raise RuntimeError(f"{built}: expected one compiled _pip_policy, found {modules}")
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(modules[0], self.get_ext_fullpath(ext.name))
        for part in ("v1", "policy"):
            shutil.rmtree(target / part, ignore_errors=True)
            shutil.copytree(built / part, target / part,
                            ignore=shutil.ignore_patterns("__pycache__"))


# Where setuptools writes its build and egg-info directories: under
# PIP_PYTHON_BUILD_BASE when it is set (the wheel test keeps the source tree
# clean this way), beside this file otherwise.
options = {}
if os.environ.get("PIP_PYTHON_BUILD_BASE"):
    base = pathlib.Path(os.environ["PIP_PYTHON_BUILD_BASE"]).resolve()
    (base / "egg-info").mkdir(parents=True, exist_ok=True)
    options = {"build": {"build_base": str(base / "build")},
               "egg_info": {"egg_base": str(base / "egg-info")}}

setup(
    version=_version(),
    ext_modules=[Extension("pip_policy._pip_policy", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    options=options,
)
