# Installation: headers (public, generated, .proto), the static C++ library
# (libpip.a, libpip_proto.a), the shared C library (libpip_c.so), pipctl,
# pipConfig.cmake / pipConfigVersion.cmake for find_package(pip), and pip.pc
# for pkg-config (the C API), and the default policy under share/pip/.
include(CMakePackageConfigHelpers)

set(PIP_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/pip)

install(TARGETS pip pip_proto pip_c EXPORT pipTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(TARGET pipctl)
  install(TARGETS pipctl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/pip
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h" PATTERN "*.def")
install(FILES ${PROJECT_BINARY_DIR}/gen/pip/version.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/pip)
# The .proto files sit beside their generated headers, so that
# `protoc -I <prefix>/include` finds pip/v1/decision.proto.
install(FILES ${PIP_PROTO_HDRS}
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/pip/v1)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/proto/pip/v1/
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/pip/v1
  FILES_MATCHING PATTERN "*.proto")

# The policy text a company starts editing from (also `pipctl policy`).
install(FILES ${PROJECT_SOURCE_DIR}/policies/default.textproto
  DESTINATION ${CMAKE_INSTALL_DATADIR}/pip)

install(EXPORT pipTargets NAMESPACE pip:: DESTINATION ${PIP_INSTALL_CMAKEDIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/pipConfig.cmake.in
  ${PROJECT_BINARY_DIR}/pipConfig.cmake
  INSTALL_DESTINATION ${PIP_INSTALL_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/pipConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/pipConfig.cmake
              ${PROJECT_BINARY_DIR}/pipConfigVersion.cmake
  DESTINATION ${PIP_INSTALL_CMAKEDIR})

# pip.pc finds its prefix relative to itself, so the package can be
# installed under any prefix (cmake --install --prefix) and moved.
file(RELATIVE_PATH PIP_PC_TO_PREFIX
  /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" PIP_PC_TO_PREFIX "${PIP_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/pip.pc.in
  ${PROJECT_BINARY_DIR}/pip.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/pip.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
