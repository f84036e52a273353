namespace RdLicensing.Server;
