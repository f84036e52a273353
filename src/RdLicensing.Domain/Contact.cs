namespace RdLicensing.Domain;

/// <summary>
/// The contact information the activation wizard asks for (rds-facts.md section 9): first name, last name, company and
/// country/region are required; e-mail, organizational unit, address, city, state and postal code are optional.
/// </summary>
public sealed record Contact
{
    public const int MaxFieldLength = 128;

    private Contact()
    {
    }

    /// <summary>INVARIANT: FirstName, LastName, Company and Country are non-blank, trimmed, at most 128 characters.</summary>
    public string FirstName { get; private init; } = "";

    public string LastName { get; private init; } = "";

    public string Company { get; private init; } = "";

    public string Country { get; private init; } = "";

    public string? Email { get; private init; }

    public string? OrganizationalUnit { get; private init; }

    public string? Address { get; private init; }

    public string? City { get; private init; }

    public string? State { get; private init; }

    public string? PostalCode { get; private init; }

    /// <summary>Validates and normalizes the fields; throws <see cref="LicensingException"/> naming the first bad field.</summary>
    public static Contact Create(
        string? firstName, string? lastName, string? company, string? country,
        string? email = null, string? organizationalUnit = null, string? address = null, string? city = null,
        string? state = null, string? postalCode = null)
    {
        string? mail = Optional(email, "email");
        if (mail is not null && (mail.IndexOf('@', StringComparison.Ordinal) <= 0 || mail.EndsWith('@')))
        {
            throw LicensingException.Invalid("email", $"'{mail}' is not an e-mail address");
        }

        return new Contact
        {
            FirstName = Required(firstName, "firstName"),
            LastName = Required(lastName, "lastName"),
            Company = Required(company, "company"),
            Country = Required(country, "country"),
            Email = mail,
            OrganizationalUnit = Optional(organizationalUnit, "organizationalUnit"),
            Address = Optional(address, "address"),
            City = Optional(city, "city"),
            State = Optional(state, "state"),
            PostalCode = Optional(postalCode, "postalCode"),
        };
    }

    private static string Required(string? value, string field) =>
        Optional(value, field) ?? throw LicensingException.Invalid(field, $"{field} is required for activation");

    private static string? Optional(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        string trimmed = value.Trim();
        return trimmed.Length <= MaxFieldLength
            ? trimmed
            : throw LicensingException.Invalid(field, $"{field} is longer than {MaxFieldLength} characters");
    }
}
