# The layers of libpip, each an object library that sees only itself and the
# layers below it (docs/architecture.md):
#
#   base < policy < eval < codec < render < audit < engine < capi
#
# A layer's sources are compiled with one include root of its own,
# build/layers/<layer>/, which holds links to exactly the folders of src/
# and the public headers of include/pip/ the layer may use. An #include that
# goes up a layer ("src/engine/..." from src/eval, "pip/engine.h" from
# src/audit) names a file that is not there, and the build fails. The
# generated headers (pip/v1/*.pb.h, pip/version.h) come from build/gen/.

set(PIP_LAYER_ROOT ${PROJECT_BINARY_DIR}/layers)

# pip_unity_build(<target>): compiles <target>'s sources as one file. GCC's
# -Wsubobject-linkage, meant for a header that defines a type with a member
# of a type of an anonymous namespace, would take each .cc for such a
# header: it is off for these targets.
function(pip_unity_build target)
  set_target_properties(${target} PROPERTIES
    UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 0)
  target_compile_options(${target} PRIVATE
    $<$<CXX_COMPILER_ID:GNU>:-Wno-subobject-linkage>)
endfunction()

# pip_layer(<name> SOURCES <file>... SEES <src folder>... HEADERS <header>...
#           LINKS <target>...)
# Creates the object library pip_<name> from SOURCES, whose files may
# include src/<folder>/ for each SEES folder and pip/<header> for each of
# HEADERS, and which links (publicly) LINKS.
function(pip_layer name)
  cmake_parse_arguments(PARSE_ARGV 1 L "" "" "SOURCES;SEES;HEADERS;LINKS")
  set(root ${PIP_LAYER_ROOT}/${name})
  file(REMOVE_RECURSE ${root})
  file(MAKE_DIRECTORY ${root}/src ${root}/pip)
  foreach(folder IN LISTS L_SEES)
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/src/${folder} ${root}/src/${folder}
         SYMBOLIC)
  endforeach()
  foreach(header IN LISTS L_HEADERS)
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/include/pip/${header}
         ${root}/pip/${header} SYMBOLIC)
  endforeach()
  add_library(pip_${name} OBJECT ${L_SOURCES})
  target_include_directories(pip_${name} PRIVATE ${root})
  target_link_libraries(pip_${name} PUBLIC ${L_LINKS})
  target_compile_options(pip_${name} PRIVATE -Wall -Wextra)
  if(PIP_UNITY_BUILD)
    pip_unity_build(pip_${name})
  endif()
endfunction()
