namespace RdLicensing.Domain.Tests;

public sealed class ValueTests
{
    [Fact]
    public void License_server_ids_are_35_alphanumerics_shown_as_seven_groups_of_five()
    {
        LicenseServerId id = LicenseServerId.New(new SeededRandomness(3));
        Assert.Matches("^[A-Z0-9]{35}$", id.Value);
        Assert.Matches("^([A-Z0-9]{5}-){6}[A-Z0-9]{5}$", id.Display);
        Assert.Equal(id, LicenseServerId.Parse(id.Display.ToLowerInvariant()));
        Assert.NotEqual(id, LicenseServerId.New(new SeededRandomness(4)));
        Assert.False(LicenseServerId.TryParse("ABCDE-FGHIJ", out _));
    }

    [Theory]
    [InlineData(LicenseProgram.Retail, "abcde-12345-fghij-67890-klmno", "ABCDE-12345-FGHIJ-67890-KLMNO", KeyPackCodeForm.RetailProductKey)]
    [InlineData(LicenseProgram.Retail, "ABCDE12345FGHIJ67890KLMNO", "ABCDE-12345-FGHIJ-67890-KLMNO", KeyPackCodeForm.RetailProductKey)]
    [InlineData(LicenseProgram.Select, "1234567", "1234567", KeyPackCodeForm.AgreementNumber)]
    [InlineData(LicenseProgram.ServicesProvider, " 7654321 ", "7654321", KeyPackCodeForm.AgreementNumber)]
    [InlineData(LicenseProgram.Open, "12345678/ABCDE12345FGHIJ", "12345678/ABCDE12345FGHIJ", KeyPackCodeForm.OpenLicense)]
    [InlineData(LicenseProgram.Open, "12345678 abcde12345fghij", "12345678/ABCDE12345FGHIJ", KeyPackCodeForm.OpenLicense)]
    [InlineData(LicenseProgram.Other, "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF-GGGGG", "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF-GGGGG", KeyPackCodeForm.KeyPackId)]
    [InlineData(LicenseProgram.Retail, "AAAAABBBBBCCCCCDDDDDEEEEEFFFFFGGGGG", "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF-GGGGG", KeyPackCodeForm.KeyPackId)]
    public void Accepted_key_pack_codes(LicenseProgram program, string code, string normalized, KeyPackCodeForm form)
    {
        KeyPackCode parsed = KeyPackCode.Parse(program, code);
        Assert.Equal(normalized, parsed.Value);
        Assert.Equal(form, parsed.Form);
    }

    [Theory]
    [InlineData(LicenseProgram.Retail, "ABCDE-12345-FGHIJ-67890")]
    [InlineData(LicenseProgram.Retail, "ABCDE-12345-FGHIJ-67890-KLMN!")]
    [InlineData(LicenseProgram.Retail, "ABCDE--12345-FGHIJ-67890-KLMN")]
    [InlineData(LicenseProgram.Retail, "1234567")]
    [InlineData(LicenseProgram.Select, "123456")]
    [InlineData(LicenseProgram.Enterprise, "12345678")]
    [InlineData(LicenseProgram.Campus, "12345A7")]
    [InlineData(LicenseProgram.Open, "1234567/ABCDE12345FGHIJ")]
    [InlineData(LicenseProgram.Open, "12345678/ABCDE12345FGHI")]
    [InlineData(LicenseProgram.Open, "12345678")]
    [InlineData(LicenseProgram.School, "")]
    [InlineData(LicenseProgram.School, null)]
    public void Rejected_key_pack_codes_name_the_code_field(LicenseProgram program, string? code)
    {
        LicensingException error = Assert.Throws<LicensingException>(() => KeyPackCode.Parse(program, code));
        Assert.Equal("code", error.Field);
        Assert.Equal(LicensingErrorKind.Invalid, error.Kind);
    }

    [Fact]
    public void Codes_are_masked_but_the_last_group()
    {
        Assert.Equal("*****-*****-*****-*****-KLMNO", KeyPackCode.Parse(LicenseProgram.Retail, "ABCDE-12345-FGHIJ-67890-KLMNO").Masked);
        Assert.Equal("********/ABCDE12345FGHIJ", KeyPackCode.Parse(LicenseProgram.Open, "12345678/ABCDE12345FGHIJ").Masked);
    }

    [Theory]
    [InlineData(null, "L", "C", "US", "firstName")]
    [InlineData("F", " ", "C", "US", "lastName")]
    [InlineData("F", "L", "", "US", "company")]
    [InlineData("F", "L", "C", null, "country")]
    public void Activation_requires_first_name_last_name_company_and_country(string? first, string? last, string? company, string? country, string field) =>
        Assert.Equal(field, Assert.Throws<LicensingException>(() => Contact.Create(first, last, company, country)).Field);

    [Fact]
    public void Optional_contact_fields_are_kept_and_e_mail_is_checked()
    {
        Contact contact = Contact.Create(" F ", "L", "C", "US", "f@example.org", "IT", "1 Road", "Town", "ST", "12345");
        Assert.Equal(("F", "f@example.org", "IT", "12345"), (contact.FirstName, contact.Email, contact.OrganizationalUnit, contact.PostalCode));
        Assert.Equal("email", Assert.Throws<LicensingException>(() => Contact.Create("F", "L", "C", "US", "not-an-address")).Field);
    }

    [Fact]
    public void Quantity_must_be_positive_and_the_server_must_be_new_enough()
    {
        var world = new World(serverVersion: ProductVersions.V2019).Activated();
        Assert.Equal("quantity", Assert.Throws<LicensingException>(() => world.Install(0)).Field);
        Assert.Equal("quantity", Assert.Throws<LicensingException>(() => world.Install(-1)).Field);
        Assert.Equal("version", Assert.Throws<LicensingException>(() => world.Install(5, ProductVersions.V2022)).Field);
        Assert.Empty(world.Ledger.KeyPacks());
        world.Install(5, ProductVersions.V2019);
        Assert.Single(world.Ledger.KeyPacks());
    }

    [Fact]
    public void Cal_requests_validate_their_fields()
    {
        Assert.Equal("hostVersion", Assert.Throws<LicensingException>(() => CalRequest.Parse("M", World.Hwid(1).ToString(), null, "2031", null, null, null)).Field);
        Assert.Equal("hwid", Assert.Throws<LicensingException>(() => CalRequest.Parse("M", "00", null, "2022", null, null, null)).Field);
        Assert.Equal("mode", Assert.Throws<LicensingException>(() => CalRequest.Parse("M", World.Hwid(1).ToString(), null, "2022", "not-configured", null, null)).Field);
        Assert.Equal("user", Assert.Throws<LicensingException>(() => CalRequest.Parse(null, null, " ", "2022", "per-user", null, null)).Field);
    }
}
