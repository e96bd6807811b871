using Learning.Api.Auth;
using Learning.Api.Catalog;
using Learning.Api.Http;
using Learning.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.OpenApi;

namespace Learning.Api.Media;

/// <summary>A stored upload: what the catalog now plays for the lesson.</summary>
public sealed record MediaUploadResponse(Guid LessonId, long Bytes, string ContentType, string Sha256);

public static class MediaUploadEndpoints
{
    public static IEndpointRouteBuilder MapMediaUploadApi(this IEndpointRouteBuilder app)
    {
        app.MapPut("/api/admin/lessons/{id}/media", Upload)
            .WithTags(CatalogAdminEndpoints.Tag)
            .RequireAuthorization(AuthenticationSetup.AdminPolicy)
            // Described for OpenAPI only: Accepts(...) metadata would let routing answer a wrong Content-Type with 415
            // before authorization, so a student would learn the route's media types instead of getting 403.
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        [MediaFormat.Mp4.ContentType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                        [MediaFormat.WebM.ContentType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                    },
                };
                return Task.CompletedTask;
            })
            .Documented("Upload a lesson's video (the raw file as the body; 201 first upload, 200 replaced)",
                ErrorCodes.Forbidden, ErrorCodes.LessonNotFound, ErrorCodes.ValidationError, ErrorCodes.PayloadTooLarge,
                ErrorCodes.UnsupportedMediaType);
        return app;
    }

    private static async Task<Results<Created<MediaUploadResponse>, Ok<MediaUploadResponse>, ProblemHttpResult>> Upload(
        string id, LessonMediaUploads uploads, HttpContext http)
    {
        var admin = http.RequireCaller();
        if (!Guid.TryParse(id, out var lessonId))
        {
            return ApiProblem.Create(StatusCodes.Status404NotFound, ErrorCodes.LessonNotFound, "Lesson not found.");
        }

        var result = await uploads.UploadAsync(admin, lessonId, http.Request.ContentType, http.Request.Body, http.Request.ContentLength, http);
        if (result.Error is { } failure)
        {
            return ApiProblem.From(failure, http);
        }

        var media = result.Value!.Lesson.Media!;
        var response = new MediaUploadResponse(lessonId, media.Bytes, media.ContentType, media.Sha256);
        return result.Value.Previous is null
            ? TypedResults.Created((string?)null, response)
            : TypedResults.Ok(response);
    }
}
