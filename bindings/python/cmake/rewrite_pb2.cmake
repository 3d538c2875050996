# Copies a module that protoc --python_out (or --pyi_out) generated from
# pip/v1/NAME.proto into the pip_policy package: its imports of the other
# pip.v1 modules, and the module names it registers its classes under,
# become pip_policy.v1.*, so that no top-level `pip` module (the name of
# Python's installer) is needed. The proto package stays pip.v1: the
# descriptors, and so the wire format and the message names, are unchanged.
# Usage: cmake -DINPUT=<protoc output> -DOUTPUT=<file in pip_policy/v1> -P rewrite_pb2.cmake
file(READ "${INPUT}" text)
string(REPLACE "from pip.v1 import " "from pip_policy.v1 import " text "${text}")
string(REGEX REPLACE "'pip\\.v1\\.([a-z_]+_pb2)'" "'pip_policy.v1.\\1'" text "${text}")
if(text MATCHES "(^|\n)(from|import) pip[. ]")
  message(FATAL_ERROR "${INPUT}: an import of the top-level pip package is left")
endif()
file(WRITE "${OUTPUT}" "${text}")
