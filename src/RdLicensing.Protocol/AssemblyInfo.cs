namespace RdLicensing.Protocol;
