namespace RdLicensing.Storage;
