namespace RdLicensing.Analysis;
