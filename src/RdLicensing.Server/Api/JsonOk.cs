using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RdLicensing.Server.Api;

/// <summary>
/// 200 with a JSON body sent with its Content-Length, in one write with the headers. <c>TypedResults.Ok</c> streams the
/// serializer's output and flushes it, so Kestrel answers chunked and ends the body with a second write; on the session
/// host's hot paths (a CAL request, a validation) that is a second send for the server and a second wake-up for the
/// client per request. The body is small (a CAL is about 3.5 KB of JSON), so it is serialized whole first. Same
/// serializer options as the rest of the API; described to OpenAPI as <c>Ok&lt;TValue&gt;</c> is.
/// </summary>
internal sealed class JsonOk<TValue>(TValue value) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<TValue>, IContentTypeHttpResult
{
    private const string JsonUtf8 = "application/json; charset=utf-8";

    public TValue Value => value;

    object? IValueHttpResult.Value => value;

    public int? StatusCode => StatusCodes.Status200OK;

    public string ContentType => JsonUtf8;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        JsonSerializerOptions options = httpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(value, options);
        HttpResponse response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonUtf8;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, httpContext.RequestAborted).AsTask();
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(TValue), ["application/json"]));
    }
}
