using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using RdLicensing.Domain;

namespace RdLicensing.Server;

/// <summary>
/// Turns rule violations and unreadable requests into RFC 9457 problem details naming the field: a
/// <see cref="LicensingException"/> (400 with "errors", 404, 409) and a body or parameter that cannot be read (400).
/// </summary>
internal sealed class ProblemMapping : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        IResult? result = exception switch
        {
            LicensingException rule => ForRule(rule),
            BadHttpRequestException bad => ForBadRequest(bad),
            _ => null,
        };
        if (result is null)
        {
            return false;
        }

        await result.ExecuteAsync(httpContext).ConfigureAwait(false);
        return true;
    }

    public static IResult ForRule(LicensingException rule)
    {
        string field = string.IsNullOrEmpty(rule.Field) ? "request" : rule.Field;
        return rule.Kind switch
        {
            LicensingErrorKind.Invalid => TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [field] = [rule.Message] },
                detail: rule.Message,
                title: $"invalid {field}",
                extensions: new Dictionary<string, object?> { ["field"] = field }),
            LicensingErrorKind.NotFound => TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound, title: "not found", detail: rule.Message,
                extensions: new Dictionary<string, object?> { ["field"] = field }),
            _ => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict, title: "conflict", detail: rule.Message,
                extensions: new Dictionary<string, object?> { ["field"] = field }),
        };
    }

    private static IResult ForBadRequest(BadHttpRequestException bad)
    {
        string field = "body";
        string message = bad.Message;
        for (Exception? inner = bad.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException json)
            {
                string path = json.Path ?? "$";
                field = path.Length > 2 ? path.TrimStart('$', '.') : "body";
                message = $"the json body is not valid at '{path}': {json.Message.Split(" Path:", 2)[0]}";
                break;
            }
        }

        return TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [message] },
            detail: message,
            title: $"invalid {field}",
            extensions: new Dictionary<string, object?> { ["field"] = field });
    }
}
