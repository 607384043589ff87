"""Build onrecord's one compiled module, ``onrecord._greedy`` (the parser's
transition loop without the GIL; see its docstring). Everything else is in
pyproject.toml.

The module is optional: without a C++ compiler (or when the build fails) onrecord
installs without it and runs spaCy's own, slower loop; the results are the same.
"""

from importlib.metadata import PackageNotFoundError, version

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class OptionalBuildExt(build_ext):
    """A failed build of the speed-up is a warning, not a failed install."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001 - any compiler or toolchain failure
            self.warn(f"onrecord._greedy not built ({exc}); spaCy's loop will run")

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:  # noqa: BLE001
            self.warn(f"onrecord._greedy not built ({exc}); spaCy's loop will run")


def _extensions() -> list[Extension]:
    try:
        import numpy
        from Cython.Build import cythonize

        spacy_version = version("spacy")
    except (ImportError, PackageNotFoundError):
        return []
    ext = Extension(
        "onrecord._greedy",
        ["src/onrecord/_greedy.pyx"],
        language="c++",
        include_dirs=[numpy.get_include()],
        define_macros=[("ONRECORD_SPACY_VERSION", f'"{spacy_version}"')],
        extra_compile_args=["-O3"],
    )
    return cythonize([ext], quiet=True)


setup(ext_modules=_extensions(), cmdclass={"build_ext": OptionalBuildExt})
