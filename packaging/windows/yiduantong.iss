; 一端通 installer: Inno Setup 6.3 or later (7.0.2 or later needs no download for Chinese).
; docs/windows.md says how to build, sign and deploy it. Build the bundle first
; (packaging\build.py makes dist\yiduantong), then, from the checkout's folder:
;
;   iscc packaging\windows\yiduantong.iss
;
; Options, each given to iscc as /DName=value:
;   CountyDir=C:\county\anji     optional: a folder holding the county's machine-wide files
;                                (county.toml, updates.toml, root.json, and the plugins/ folder a
;                                county.toml names); each one there is installed into
;                                %ProgramData%\yiduantong, which every account of the PC reads
;   VCRedist=C:\dl\vc_redist.x64.exe   optional: Microsoft's VC++ runtime installer, run when the
;                                PC does not have the runtime (else Setup says where to get it)
;   BundleDir=...                the one-folder bundle (default: dist\yiduantong of the checkout)
;   OutputDir=...                where the installer is written (default: dist of the checkout)
;   AppVersion=...               default: the version in yiduantong.exe (from pyproject.toml)
;   Publisher=...                shown in Programs and Features (default: 一端通)
;   SignTool=name                sign Setup and its uninstaller with the sign tool "name" given to
;                                iscc as /Sname=command (docs/windows.md, step 5)
;
; What Setup never does: it does not touch anybody's data. Each Windows account's data folder
; (%LOCALAPPDATA%\yiduantong) and its sign-ins in Windows Credential Manager stay when the
; launcher is uninstalled, and so does the county configuration in %ProgramData%\yiduantong.

#define Root AddBackslash(SourcePath) + "..\.."
#ifndef BundleDir
  #define BundleDir Root + "\dist\yiduantong"
#endif
#ifndef OutputDir
  #define OutputDir Root + "\dist"
#endif
#define MainExe AddBackslash(BundleDir) + "yiduantong.exe"
#if !FileExists(MainExe)
  #error The bundle is not built (no dist\yiduantong\yiduantong.exe): run packaging\build.py first, docs/windows.md
#endif
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(MainExe, "ProductVersion")
#endif
#if AppVersion == ""
  #error yiduantong.exe has no version: give one with /DAppVersion=x.y.z
#endif
#ifndef Publisher
  #define Publisher "一端通"
#endif
#define IconFile Root + "\build\pyinstaller\yiduantong.ico"

; Simplified Chinese: official since Inno Setup 7.0.2; for Inno Setup 6, the translation from
; https://jrsoftware.org/files/istrans/ saved beside this script (docs/windows.md).
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #define ChineseMessages "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
  #define ChineseMessages AddBackslash(SourcePath) + "ChineseSimplified.isl"
#else
  #error ChineseSimplified.isl not found: with Inno Setup 6, download it (docs/windows.md) and save it beside yiduantong.iss
#endif

[Setup]
; The AppId ties every version's installer to the installed copy (upgrades, uninstall): never change it.
AppId={{7EC43C31-CC10-4C73-954E-CAE9AFDF436A}
AppName=一端通
AppVersion={#AppVersion}
AppVerName=一端通 {#AppVersion}
AppPublisher={#Publisher}
VersionInfoVersion={#AppVersion}
VersionInfoProductName=一端通
VersionInfoDescription=一端通 Setup
DefaultDirName={autopf}\yiduantong
DisableProgramGroupPage=yes
; Per machine: Program Files, shortcuts for every account, the machine-wide county folder.
PrivilegesRequired=admin
; Qt 6 runs on 64-bit Windows 10 and later only.
MinVersion=10.0
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutputDir}
OutputBaseFilename=yiduantong-setup-{#AppVersion}
#if FileExists(IconFile)
SetupIconFile={#IconFile}
#endif
UninstallDisplayIcon={app}\yiduantong.exe
UninstallDisplayName=一端通
WizardStyle=modern
Compression=lzma2
SolidCompression=yes
; An upgrade closes a running launcher (Windows' Restart Manager) instead of failing on its files.
CloseApplications=yes
RestartApplications=no
ShowLanguageDialog=auto
#ifdef SignTool
SignTool={#SignTool}
#endif

[Languages]
Name: "chinesesimplified"; MessagesFile: "{#ChineseMessages}"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
chinesesimplified.VCRuntimeMissing=这台电脑没有安装 Microsoft Visual C++ 2015–2022 运行库（x64），一端通需要它才能运行。%n%n请在安装后从 %1 下载并安装它，或向县信息化部门索取带运行库的安装包。%n%n继续安装吗？
english.VCRuntimeMissing=This PC does not have the Microsoft Visual C++ 2015–2022 runtime (x64), which 一端通 needs to run.%n%nAfter this installation, download and install it from %1, or ask the county's IT team for the installer that includes it.%n%nContinue the installation?
chinesesimplified.InstallingVCRuntime=正在安装 Microsoft Visual C++ 运行库……
english.InstallingVCRuntime=Installing the Microsoft Visual C++ runtime…
chinesesimplified.SecuringCountyFolder=正在设置县配置目录的权限……
english.SecuringCountyFolder=Setting the permissions of the county configuration folder…

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the previous version's libraries whole (no file of an older Qt or Python
; left beside the new ones). Only the program's own folder: nobody's data is there.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
#ifdef CountyDir
  #define CountyFiles AddBackslash(CountyDir)
  #if !FileExists(CountyFiles + "county.toml") && !FileExists(CountyFiles + "updates.toml")
    #error CountyDir has neither county.toml nor updates.toml
  #endif
  #if FileExists(CountyFiles + "updates.toml") && !FileExists(CountyFiles + "root.json")
    #error CountyDir: updates.toml needs the county's root.json beside it (docs/packs.md)
  #endif
  #if FileExists(CountyFiles + "county.toml")
Source: "{#CountyFiles}county.toml"; DestDir: "{commonappdata}\yiduantong"; Flags: ignoreversion uninsneveruninstall
  #endif
  #if DirExists(CountyFiles + "plugins")
Source: "{#CountyFiles}plugins\*"; DestDir: "{commonappdata}\yiduantong\plugins"; Flags: ignoreversion recursesubdirs createallsubdirs uninsneveruninstall
  #endif
  #if FileExists(CountyFiles + "updates.toml")
Source: "{#CountyFiles}updates.toml"; DestDir: "{commonappdata}\yiduantong"; Flags: ignoreversion uninsneveruninstall
Source: "{#CountyFiles}root.json"; DestDir: "{commonappdata}\yiduantong"; Flags: ignoreversion uninsneveruninstall
  #endif
#endif
#ifdef VCRedist
Source: "{#VCRedist}"; DestDir: "{tmp}"; DestName: "vc_redist.x64.exe"; Flags: deleteafterinstall; Check: VCRuntimeMissing
#endif

[Dirs]
; The county's machine-wide folder: what is in it (the county file, where packs come from, the
; key that signs them) decides what every account of the PC trusts.
Name: "{commonappdata}\yiduantong"; Flags: uninsneveruninstall

[Icons]
Name: "{autoprograms}\一端通"; Filename: "{app}\yiduantong.exe"; Comment: "一端通：一个入口、一次登录"
Name: "{autodesktop}\一端通"; Filename: "{app}\yiduantong.exe"; Comment: "一端通：一个入口、一次登录"; Tasks: desktopicon

[Run]
; Windows lets every user create files in a new folder under ProgramData: only administrators
; (and the system) may write in the county's folder, everybody may read it. The SIDs are those of
; SYSTEM, Administrators and Users, whatever the language of Windows.
Filename: "{sys}\icacls.exe"; Parameters: """{commonappdata}\yiduantong"" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX"; StatusMsg: "{cm:SecuringCountyFolder}"; Flags: runhidden waituntilterminated
#ifdef VCRedist
Filename: "{tmp}\vc_redist.x64.exe"; Parameters: "/install /quiet /norestart"; StatusMsg: "{cm:InstallingVCRuntime}"; Flags: waituntilterminated; Check: VCRuntimeMissing
#endif
; Started as the person who ran Setup, not as the administrator: their keyring, their data folder.
Filename: "{app}\yiduantong.exe"; Description: "{cm:LaunchProgram,一端通}"; Flags: nowait postinstall skipifsilent runasoriginaluser

[Code]
const
  VCRuntimeKey = 'SOFTWARE\Microsoft\VisualStudio\14.0\VC\Runtimes\x64';
  VCRuntimeUrl = 'https://aka.ms/vc14/vc_redist.x64.exe';

function VCRuntimeRecorded(const Wow64View: Boolean): Boolean;
var
  Installed, Major, Minor: Cardinal;
  Found: Boolean;
begin
  // The 2015-2022 runtime (v14) records itself here; Qt 6 is built with Visual Studio 2022,
  // whose programs need 14.30 or later. (The root keys are passed as constants: their type
  // differs between Inno Setup 6 and 7.)
  if Wow64View then
    Found := RegQueryDWordValue(HKLM32, VCRuntimeKey, 'Installed', Installed)
      and RegQueryDWordValue(HKLM32, VCRuntimeKey, 'Major', Major)
      and RegQueryDWordValue(HKLM32, VCRuntimeKey, 'Minor', Minor)
  else
    Found := RegQueryDWordValue(HKLM64, VCRuntimeKey, 'Installed', Installed)
      and RegQueryDWordValue(HKLM64, VCRuntimeKey, 'Major', Major)
      and RegQueryDWordValue(HKLM64, VCRuntimeKey, 'Minor', Minor);
  Result := Found and (Installed = 1) and ((Major > 14) or ((Major = 14) and (Minor >= 30)));
end;

function VCRuntimeMissing: Boolean;
begin
  // Its installer has written the key in either registry view, depending on its version.
  Result := not (VCRuntimeRecorded(False) or VCRuntimeRecorded(True));
end;

function InitializeSetup: Boolean;
begin
  Result := True;
#ifndef VCRedist
  if VCRuntimeMissing then
  begin
    Log('The VC++ runtime (x64, 14.30 or later) is missing: ' + VCRuntimeUrl);
    // Silent (/SUPPRESSMSGBOXES) the answer is Yes: the installation goes on, and the log says why
    // the launcher may not start.
    Result := SuppressibleMsgBox(FmtMessage(CustomMessage('VCRuntimeMissing'), [VCRuntimeUrl]),
      mbConfirmation, MB_YESNO, IDYES) = IDYES;
  end;
#endif
end;
