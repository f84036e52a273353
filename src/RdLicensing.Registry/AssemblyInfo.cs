namespace RdLicensing.Registry;
