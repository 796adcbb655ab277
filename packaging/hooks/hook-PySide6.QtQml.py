# The launcher has no QML. PySide6's QtQml module is collected only because QtWebEngineWidgets
# imports QtQuickWidgets (QtWebEngine draws pages through Qt Quick); PyInstaller's own hook for it
# would also collect every QML plugin of PySide6 (30 MB, and the libraries of Qt Quick 3D,
# Multimedia, Location … that those plugins need, about 60 MB more). This hook, found first
# (packaging/yiduantong.spec: hookspath), collects the module and its Qt libraries only.
from PyInstaller.utils.hooks.qt import add_qt6_dependencies

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
