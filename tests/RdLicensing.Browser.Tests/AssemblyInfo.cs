using RdLicensing.Browser.Tests.Support;

// One browser for the run. Tests run one at a time (xunit.runner.json): two cores are shared with the other test projects.
[assembly: AssemblyFixture(typeof(Chromium))]
