; Inno Setup 6 script for AidDesk on Windows. NOT RUN on the project's Linux machines: the
; workflow packaging/ci/bundle.yml compiles it on a hosted Windows runner:
;   iscc /DAppVersion=0.1.0 /DSourceDir=dist\AidDesk packaging\windows\aiddesk.iss
; Per-user install (no administrator rights), Start-menu shortcut, English and Spanish.
#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z (from pyproject.toml, as packaging/plan.py reads it)
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\AidDesk"
#endif

[Setup]
AppId={{6F7C1E2A-4B7D-4C7E-9A51-3D2B8E6F0A11}
AppName=AidDesk
AppVersion={#AppVersion}
AppPublisher=AidDesk
AppPublisherURL=https://aiddesk.org
DefaultDirName={localappdata}\Programs\AidDesk
DefaultGroupName=AidDesk
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=AidDesk-{#AppVersion}-windows-setup
SetupIconFile=..\..\build\icons\aiddesk.ico
UninstallDisplayIcon={app}\AidDesk.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Data lives in the user's profile (or beside the program in portable mode): the uninstaller
; never removes a desk's data.

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "spanish"; MessagesFile: "compiler:Languages\Spanish.isl"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\AidDesk"; Filename: "{app}\AidDesk.exe"
Name: "{group}\{cm:UninstallProgram,AidDesk}"; Filename: "{uninstallexe}"

[Run]
Filename: "{app}\AidDesk.exe"; Description: "{cm:LaunchProgram,AidDesk}"; Flags: nowait postinstall skipifsilent
