# What the WiX Toolset writes from the Toolset="wix" blocks of mamori-agent.wxs and wixl cannot
# (wixl 0.101 has no Environment, PermissionEx, RemoveFile or component Condition, and ignores
# Secure="yes"). installer/windows/build-msi runs each line on the wixl output with `msibuild -q`;
# tests/installer/msi_tables_test checks the result. Keep both in step: the same rows, the same
# ids. One statement per line; lines starting with # are comments.
#
# Secure="yes" on the public properties: they reach the elevated part of a managed install.
UPDATE `Property` SET `Value` = 'COLLECTOR;ENROLL_TOKEN;CA_FINGERPRINT;INSTALLDIR;REMOVE_DATA;MAMORI_OLDER_INSTALLED;MAMORI_NEWER_INSTALLED' WHERE `Property` = 'SecureCustomProperties'
# <Condition> of the components: no empty value is written for a property not given.
UPDATE `Component` SET `Condition` = 'CA_FINGERPRINT' WHERE `Component` = 'AgentFingerprint'
UPDATE `Component` SET `Condition` = 'ENROLL_TOKEN' WHERE `Component` = 'AgentToken'
# <Environment Id="MamoriOnPath">: INSTALLDIR appended to the system PATH, taken out again at uninstall.
CREATE TABLE `Environment` (`Environment` CHAR(72) NOT NULL, `Name` CHAR(255) NOT NULL LOCALIZABLE, `Value` CHAR(255) LOCALIZABLE, `Component_` CHAR(72) NOT NULL PRIMARY KEY `Environment`)
INSERT INTO `Environment` (`Environment`, `Name`, `Value`, `Component_`) VALUES ('MamoriOnPath', '=-*PATH', '[~];[INSTALLDIR]', 'AgentService')
# ... and the standard actions that read it, where the WiX Toolset sequences them.
INSERT INTO `InstallExecuteSequence` (`Action`, `Sequence`) VALUES ('RemoveEnvironmentStrings', 3300)
INSERT INTO `InstallExecuteSequence` (`Action`, `Sequence`) VALUES ('WriteEnvironmentStrings', 5200)
# <PermissionEx Sddl=...> on the settings key (Windows Installer 5): SYSTEM and Administrators only,
# inheritance from HKLM\SOFTWARE (where Users may read) cut.
CREATE TABLE `MsiLockPermissionsEx` (`MsiLockPermissionsEx` CHAR(72) NOT NULL, `LockObject` CHAR(72) NOT NULL, `Table` CHAR(32) NOT NULL, `SDDL` LONGCHAR NOT NULL, `Condition` CHAR(255) PRIMARY KEY `MsiLockPermissionsEx`)
INSERT INTO `MsiLockPermissionsEx` (`MsiLockPermissionsEx`, `LockObject`, `Table`, `SDDL`) VALUES ('SettingsKeyAcl', 'CollectorAddress', 'Registry', 'D:PAI(A;CI;KA;;;SY)(A;CI;KA;;;BA)')
INSERT INTO `MsiLockPermissionsEx` (`MsiLockPermissionsEx`, `LockObject`, `Table`, `SDDL`) VALUES ('TokenKeyAcl', 'EnrollmentToken', 'Registry', 'D:PAI(A;CI;KA;;;SY)(A;CI;KA;;;BA)')
# <PermissionEx> on the data directory's <CreateFolder>: SYSTEM and Administrators only.
INSERT INTO `MsiLockPermissionsEx` (`MsiLockPermissionsEx`, `LockObject`, `Table`, `SDDL`) VALUES ('DataDirAcl', 'AGENTDATADIR', 'CreateFolder', 'D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)')
# <RemoveFile>/<RemoveFolder> On="uninstall": act only when REMOVE_DATA=1 set their directory property.
INSERT INTO `RemoveFile` (`FileKey`, `Component_`, `FileName`, `DirProperty`, `InstallMode`) VALUES ('RemoveSpoolFiles', 'AgentService', '*', 'MAMORI_REMOVE_SPOOL_DIR', 2)
INSERT INTO `RemoveFile` (`FileKey`, `Component_`, `DirProperty`, `InstallMode`) VALUES ('RemoveSpoolDir', 'AgentService', 'MAMORI_REMOVE_SPOOL_DIR', 2)
INSERT INTO `RemoveFile` (`FileKey`, `Component_`, `FileName`, `DirProperty`, `InstallMode`) VALUES ('RemoveDataFiles', 'AgentService', '*', 'MAMORI_REMOVE_DATA_DIR', 2)
INSERT INTO `RemoveFile` (`FileKey`, `Component_`, `DirProperty`, `InstallMode`) VALUES ('RemoveDataDir', 'AgentService', 'MAMORI_REMOVE_DATA_DIR', 2)
INSERT INTO `RemoveFile` (`FileKey`, `Component_`, `DirProperty`, `InstallMode`) VALUES ('RemoveParentDir', 'AgentService', 'MAMORI_REMOVE_PARENT_DIR', 2)
# Type="expandable" (wixl writes REG_SZ): REG_EXPAND_SZ, as `mamori-agent.exe service install` writes it.
UPDATE `Registry` SET `Value` = '#%[#AgentExe]' WHERE `Name` = 'EventMessageFile'
# IncludeMaximum="yes" (wixl drops it): a rebuild of the same version replaces the installed one
# instead of being installed beside it. Attributes is part of the key: the row is replaced.
# build-msi puts the version for @VERSION@ and the UpgradeCode for @UPGRADE_CODE@.
DELETE FROM `Upgrade` WHERE `ActionProperty` = 'MAMORI_OLDER_INSTALLED'
INSERT INTO `Upgrade` (`UpgradeCode`, `VersionMin`, `VersionMax`, `Attributes`, `ActionProperty`) VALUES ('@UPGRADE_CODE@', '0.0.0', '@VERSION@', 768, 'MAMORI_OLDER_INSTALLED')
