using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("RdLicensing.Storage.Tests")]

namespace RdLicensing.Storage;
