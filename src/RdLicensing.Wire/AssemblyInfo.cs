namespace RdLicensing.Wire;
