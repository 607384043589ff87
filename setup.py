"""Build onrecord's compiled modules: ``onrecord._greedy`` (the parser's
transition loop without the GIL) and ``onrecord._t2v`` (two embedding kernels);
see their docstrings. Everything else is in pyproject.toml.

The modules are optional: without a C++ compiler (or when a build fails) onrecord
installs without them and runs spaCy's and thinc's own, slower code; the results
are the same.
"""

import sys
from importlib.metadata import PackageNotFoundError, version

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class OptionalBuildExt(build_ext):
    """A failed build of a speed-up is a warning, not a failed install."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001 - any compiler or toolchain failure
            self.warn(f"onrecord's speed-ups not built ({exc}); spaCy's code will run")

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:  # noqa: BLE001
            self.warn(f"{ext.name} not built ({exc}); spaCy's code will run")


def _extensions() -> list[Extension]:
    try:
        import numpy
        from Cython.Build import cythonize

        spacy_version = version("spacy")
    except (ImportError, PackageNotFoundError):
        return []
    greedy = Extension(
        "onrecord._greedy",
        ["src/onrecord/_greedy.pyx"],
        language="c++",
        include_dirs=[numpy.get_include()],
        define_macros=[("ONRECORD_SPACY_VERSION", f'"{spacy_version}"')],
        extra_compile_args=["-O3"],
    )
    t2v = Extension(
        "onrecord._t2v", ["src/onrecord/_t2v.pyx"], extra_compile_args=["-O3"]
    )
    try:
        return list(cythonize([greedy, t2v], quiet=True))
    except Exception as exc:  # noqa: BLE001 - e.g. a source tree without the .pyx
        sys.stderr.write(f"warning: onrecord's speed-ups not built ({exc})\n")
        return []


setup(ext_modules=_extensions(), cmdclass={"build_ext": OptionalBuildExt})
