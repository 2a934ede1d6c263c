# packaging.cmake: installing Attune into a Linux desktop (GNUInstallDirs
# places) and building a Debian package with CPack (`cpack -G DEB` in the
# build dir). Included from the root CMakeLists.txt after src/.
#
#   bin/attune
#   share/attune/...                          coding scheme, icons (runtime assets; src/CMakeLists.txt)
#   share/applications/attune.desktop
#   share/icons/hicolor/{scalable,48x48,128x128,256x256}/apps/attune.{svg,png}
#   share/metainfo/org.attune.Attune.metainfo.xml
#   share/man/man1/attune.1.gz
#   share/bash-completion/completions/attune
#   share/doc/attune/{copyright,changelog.gz}

set(ATTUNE_ASSETS ${PROJECT_SOURCE_DIR}/assets)

install(FILES ${ATTUNE_ASSETS}/attune.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${ATTUNE_ASSETS}/attune.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo
        RENAME org.attune.Attune.metainfo.xml)
install(FILES ${ATTUNE_ASSETS}/icons/attune.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
foreach(size 48 128 256)
  install(FILES ${ATTUNE_ASSETS}/icons/attune-${size}.png
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps RENAME attune.png)
endforeach()
install(FILES ${ATTUNE_ASSETS}/completion/attune DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)

# Debian wants the manual page and the changelog compressed with gzip -9n
# (no name, no time stamp: the package builds reproducibly).
find_program(GZIP_PROGRAM gzip REQUIRED)
set(ATTUNE_GZIPPED ${PROJECT_BINARY_DIR}/packaging)
add_custom_command(OUTPUT ${ATTUNE_GZIPPED}/attune.1.gz ${ATTUNE_GZIPPED}/changelog.gz
  COMMAND ${CMAKE_COMMAND} -E make_directory ${ATTUNE_GZIPPED}
  COMMAND ${GZIP_PROGRAM} -9nc ${ATTUNE_ASSETS}/attune.1 > ${ATTUNE_GZIPPED}/attune.1.gz
  COMMAND ${GZIP_PROGRAM} -9nc ${PROJECT_SOURCE_DIR}/packaging/changelog > ${ATTUNE_GZIPPED}/changelog.gz
  DEPENDS ${ATTUNE_ASSETS}/attune.1 ${PROJECT_SOURCE_DIR}/packaging/changelog
  COMMENT "Compressing the manual page and changelog")
add_custom_target(attune_docs ALL DEPENDS ${ATTUNE_GZIPPED}/attune.1.gz ${ATTUNE_GZIPPED}/changelog.gz)
install(FILES ${ATTUNE_GZIPPED}/attune.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/copyright ${ATTUNE_GZIPPED}/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

# --- Debian package -----------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME attune)
set(CPACK_PACKAGE_VENDOR "The Attune developers")
set(CPACK_PACKAGE_CONTACT "Attune developers <packaging@attune.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "session coding and progress charts for couples therapists")
set(CPACK_PACKAGE_DESCRIPTION
    "Attune lets a therapist who works with couples, especially in Emotionally\n"
    "Focused Therapy, code what happens between the partners live in session\n"
    "and chart across sessions whether the couple moves from disconnection\n"
    "toward attunement and repair. Each practice is one database file,\n"
    "encrypted at rest with SQLCipher. Session notes and case summaries are\n"
    "exported as text, Markdown, PDF, CSV or JSON.")
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "Attune developers <packaging@attune.invalid>")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://attune.invalid/")
# Shared libraries come from dpkg-shlibdeps (it reads the binary's NEEDED
# entries); what it cannot see is listed by hand: the SQLCipher version the
# schema needs, and the UI font and Mesa's GL driver, which are opened at run time.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libsqlcipher1 (>= 4.6), fonts-dejavu-core, libgl1")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libgl1-mesa-dri")
include(CPack)
