namespace RdLicensing.Client;
