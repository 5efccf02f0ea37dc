"""The build of the native kernel, polyregions.enumeration._native (everything else is in setup.cfg).

Every C++ file of ``polyregions/enumeration/native/`` is compiled into the one
extension module, linked with GMP (gmpxx) and cddlib's GMP library. Set
``POLYREGIONS_NATIVE_FLAGS`` to add compiler and linker flags (``make sanitize``
uses it for AddressSanitizer and UBSan).
"""

import glob
import os
import shlex

from pybind11.setup_helpers import ParallelCompile, Pybind11Extension, build_ext
from setuptools import setup

# The sources compile in parallel (NPY_NUM_BUILD_JOBS overrides the number of jobs).
ParallelCompile("NPY_NUM_BUILD_JOBS", default=2).install()

extra = shlex.split(os.environ.get("POLYREGIONS_NATIVE_FLAGS", ""))

native = Pybind11Extension(
    "polyregions.enumeration._native",
    sorted(glob.glob("polyregions/enumeration/native/*.cpp")),
    include_dirs=["polyregions/enumeration/native", "/usr/include/cddlib"],
    libraries=["cddgmp", "gmpxx", "gmp"],
    cxx_std=17,
    extra_compile_args=["-O2"] + extra,
    extra_link_args=extra,
)

setup(ext_modules=[native], cmdclass={"build_ext": build_ext})
