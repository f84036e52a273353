namespace RdLicensing.Contracts;
