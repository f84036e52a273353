namespace RdLicensing.Crypto;
