using Learning.Accounts;
using Learning.Api.Auth;
using Learning.Api.Http;
using Learning.Common;
using Learning.Devices;
using Learning.ReadModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.OpenApi;

namespace Learning.Api.Administration;

/// <summary>
/// Operator routes: listings come from the read model (the PostgreSQL tables in production); commands go through
/// the owning user's grain, so they serialize with that user's own requests.
/// </summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin")
            .WithTags("Administration")
            .RequireAuthorization(AuthenticationSetup.AdminPolicy);
        group.MapGet("/users", ListUsers)
            .Documented("Users with active devices and live sessions",
                ErrorCodes.Forbidden, ErrorCodes.ValidationError)
            .WithQuery([new("email", "Only users whose email contains this text."), .. EndpointDocs.Paging]);
        group.MapGet("/devices", ListDevices)
            .Documented("Devices across users", ErrorCodes.Forbidden, ErrorCodes.ValidationError)
            .WithQuery([
                new("user_id", "Only this user's devices.", Format: "uuid"),
                new("platform", "Only devices of this platform.", Values: [.. PlatformNames.All]),
                new("is_active", "Only active (true) or inactive (false) devices.", JsonSchemaType.Boolean),
                .. EndpointDocs.Paging,
            ]);
        group.MapGet("/sessions", ListSessions)
            .Documented("Playback sessions", ErrorCodes.Forbidden, ErrorCodes.ValidationError)
            .WithQuery([
                new("live", "Only live (true) or ended (false) sessions.", JsonSchemaType.Boolean),
                new("user_id", "Only this user's sessions.", Format: "uuid"),
                .. EndpointDocs.Paging,
            ]);
        group.MapPost("/users/{id}/sign-out", SignOut)
            .Documented("Sign a user out everywhere", ErrorCodes.Forbidden, ErrorCodes.UserNotFound);
        group.MapPost("/devices/{id}/deactivate", Deactivate)
            .Documented("Deactivate a device and end its sessions", ErrorCodes.Forbidden, ErrorCodes.DeviceNotFound);
        return app;
    }

    private static async Task<Ok<PageResponse<UserRow>>> ListUsers(IOperatorQueries queries, HttpContext http)
    {
        var query = new QueryReader(http.Request);
        var email = query.Text("email");
        var (limit, after) = query.Page();
        query.ThrowIfInvalid();
        var page = await queries.ListUsersAsync(new UserFilter(email, limit, after), http.RequestAborted);
        return TypedResults.Ok(new PageResponse<UserRow>(page.Results, QueryReader.EncodeCursor(page.Next)));
    }

    private static async Task<Ok<PageResponse<DeviceRow>>> ListDevices(IOperatorQueries queries, HttpContext http)
    {
        var query = new QueryReader(http.Request);
        var platform = query.OneOf<Platform>("platform", PlatformNames.TryParse, PlatformNames.All);
        var filter = new DeviceFilter(query.Guid("user_id"), platform, query.Bool("is_active"), 0, null);
        var (limit, after) = query.Page();
        query.ThrowIfInvalid();
        var page = await queries.ListDevicesAsync(filter with { Limit = limit, After = after }, http.RequestAborted);
        return TypedResults.Ok(new PageResponse<DeviceRow>(page.Results, QueryReader.EncodeCursor(page.Next)));
    }

    private static async Task<Ok<PageResponse<SessionRow>>> ListSessions(IOperatorQueries queries, HttpContext http)
    {
        var query = new QueryReader(http.Request);
        var live = query.Bool("live");
        var userId = query.Guid("user_id");
        var (limit, after) = query.Page();
        query.ThrowIfInvalid();
        var page = await queries.ListSessionsAsync(
            new SessionFilter(live, userId, limit, after), http.RequestAborted);
        return TypedResults.Ok(new PageResponse<SessionRow>(page.Results, QueryReader.EncodeCursor(page.Next)));
    }

    private static async Task<Results<Ok<MessageResponse>, ProblemHttpResult>> SignOut(
        string id, IGrainFactory grains, HttpContext http)
    {
        var admin = http.RequireCaller();
        if (!Guid.TryParse(id, out var userId))
        {
            return ApiProblem.Create(StatusCodes.Status404NotFound, ErrorCodes.UserNotFound, "User not found.");
        }

        var result = await grains.GetGrain<IUserGrain>(userId).SignOutEverywhere(admin.UserId, admin.Client);
        return result.ToHttp(http, _ => TypedResults.Ok(new MessageResponse("User signed out everywhere")));
    }

    private static async Task<Results<Ok<MessageResponse>, ProblemHttpResult>> Deactivate(
        string id, IOperatorQueries queries, IGrainFactory grains, HttpContext http)
    {
        var admin = http.RequireCaller();
        var owner = Guid.TryParse(id, out var deviceId) ? await queries.FindDeviceOwnerAsync(deviceId, http.RequestAborted) : null;
        if (owner is not { } userId)
        {
            return ApiProblem.Create(StatusCodes.Status404NotFound, ErrorCodes.DeviceNotFound, "Device not found.");
        }

        var result = await grains.GetGrain<IUserGrain>(userId).DeactivateDevice(deviceId, admin.UserId, admin.Client);
        return result.ToHttp(http, _ => TypedResults.Ok(new MessageResponse("Device deactivated")));
    }
}
