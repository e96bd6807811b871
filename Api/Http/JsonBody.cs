using System.Buffers;
using System.Reflection;
using System.Text.Json;
using Learning.Api.Auth;
using Learning.Common;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Learning.Api.Http;

/// <summary>
/// Binds a JSON request body the way the contract wants failures told apart: wrong content type 415,
/// too large 413, malformed or too deep 400 <c>invalid_json</c>, wrong types or missing fields 400
/// <c>validation_error</c> with per-field messages. ASP.NET Core's own binder reports all of these as one bare 400.
/// </summary>
public sealed class JsonBody<T> where T : class, IRequestBody
{
    private const int MaxDepth = 64;

    private JsonBody(T value) => Value = value;

    public T Value { get; }

    public static async ValueTask<JsonBody<T>?> BindAsync(HttpContext context)
    {
        try
        {
            return new JsonBody<T>(await ReadAsync(context));
        }
        catch (ApiProblemException)
        {
            // A revoked token answers 401 whatever its body: authentication before validation.
            await LiveCallerHandler.ThrowIfRefusedAsync(context);
            throw;
        }
    }

    private static async Task<T> ReadAsync(HttpContext context)
    {
        if (!IsJson(context.Request.ContentType))
        {
            throw new ApiProblemException(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.UnsupportedMediaType,
                "The request body must be application/json.");
        }

        var limit = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.MaxJsonBodyBytes;
        using var document = Parse(await ReadBodyAsync(context.Request, limit, context.RequestAborted));
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("body", "Expected a JSON object.");
        }

        var serializerOptions = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        T? value;
        try
        {
            value = document.Deserialize<T>(serializerOptions);
        }
        catch (JsonException exception)
        {
            var field = FieldOf(exception.Path);
            throw Invalid(field, $"Expected {Describe(field, serializerOptions)}.");
        }

        var errors = new RequestErrors();
        value!.Validate(errors);
        if (errors.Any)
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest, ErrorCodes.ValidationError, "The request is not valid.", errors.ToDictionary());
        }

        return value;
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && (mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        // Chunked bodies have no length up front, so count while reading and stop one byte past the limit.
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(limit + 1, (int)(request.ContentLength ?? 16 * 1024) + 1));
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, limit + 1) - length), cancellationToken);
                if (read == 0)
                {
                    return buffer.AsSpan(0, length).ToArray();
                }

                length += read;
                if (length > limit)
                {
                    throw TooLarge(limit);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static JsonDocument Parse(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException)
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest, ErrorCodes.InvalidJson,
                $"The request body is not valid JSON (or is nested deeper than {MaxDepth} levels).");
        }
    }

    private static ApiProblemException TooLarge(int limit) =>
        new(StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge, $"The request body must not exceed {limit} bytes.");

    private static ApiProblemException Invalid(string field, string message) =>
        new(StatusCodes.Status400BadRequest, ErrorCodes.ValidationError, "The request is not valid.",
            new Dictionary<string, string[]> { [field] = [message] });

    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.TrimStart('$', '.').Split('.', '[')[0];

    private static string Describe(string field, JsonSerializerOptions options)
    {
        var property = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => (options.PropertyNamingPolicy?.ConvertName(p.Name) ?? p.Name) == field);
        var type = property is null ? null : Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        return type switch
        {
            null => "a valid value",
            _ when type == typeof(string) => "a string",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(decimal) => "a number",
            _ => "a valid value",
        };
    }
}
