using Learning.Accounts;
using Learning.Api.Auth;
using Learning.Api.Http;
using Learning.Common;
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
    public static IServiceCollection AddAdminApi(this IServiceCollection services) => services.AddSingleton<OperatorCommands>();

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin")
            .WithTags("Administration")
            .RequireAuthorization(AuthenticationSetup.AdminPolicy);
        group.MapGet("/users", ListUsers)
            .Documented("Users with active devices and live sessions",
                ErrorCodes.Forbidden, ErrorCodes.ValidationError)
            .WithQuery([
                new("email", "Only users whose email contains this text."),
                new("q", "Only users whose email or name starts with this text (case-insensitive)."),
                .. EndpointDocs.Paging,
            ]);
        group.MapGet("/devices", ListDevices)
            .Documented("Devices across users", ErrorCodes.Forbidden, ErrorCodes.ValidationError)
            .WithQuery([
                new("user_id", "Only this user's devices.", Format: "uuid"),
                new("platform", "Only devices of this platform.", Values: [.. PlatformNames.All]),
                new("is_active", "Only active (true) or inactive (false) devices.", JsonSchemaType.Boolean),
                new("q", "Only devices whose owner's email starts with this text (case-insensitive)."),
                .. EndpointDocs.Paging,
            ]);
        group.MapGet("/sessions", ListSessions)
            .Documented("Playback sessions", ErrorCodes.Forbidden, ErrorCodes.ValidationError)
            .WithQuery([
                new("live", "Only live (true) or ended (false) sessions.", JsonSchemaType.Boolean),
                new("user_id", "Only this user's sessions.", Format: "uuid"),
                new("q", "Only sessions whose owner's email starts with this text (case-insensitive)."),
                .. EndpointDocs.Paging,
            ]);
        group.MapPost("/users/{id}/sign-out", SignOut)
            .Documented("Sign a user out everywhere", ErrorCodes.Forbidden, ErrorCodes.UserNotFound);
        group.MapPost("/devices/{id}/deactivate", Deactivate)
            .Documented("Deactivate a device and end its sessions", ErrorCodes.Forbidden, ErrorCodes.DeviceNotFound);
        group.MapGet("/users/{id}", GetUser)
            .Documented("One user with devices, live sessions, access and grants", ErrorCodes.Forbidden, ErrorCodes.UserNotFound);
        group.MapPost("/devices/deactivate", DeactivateMany)
            .Documented<BulkDeactivateRequest>("Deactivate up to 100 devices of any users, each through its owner", ErrorCodes.Forbidden);
        group.MapPost("/devices/{id}/activate", Activate)
            .Documented("Make a device its owner's active one, as a transfer to it would", ErrorCodes.Forbidden, ErrorCodes.DeviceNotFound);
        group.MapPost("/users/{id}/disable", Disable)
            .Documented("Refuse a user's sign-in, revoke their sign-ins and end their sessions", ErrorCodes.Forbidden, ErrorCodes.UserNotFound);
        group.MapPost("/users/{id}/enable", Enable)
            .Documented("Allow a disabled user to sign in again", ErrorCodes.Forbidden, ErrorCodes.UserNotFound);
        group.MapPost("/users/{id}/unlock", Unlock)
            .Documented("Clear a user's lockout after failed logins", ErrorCodes.Forbidden, ErrorCodes.UserNotFound);
        group.MapPost("/sessions/{id}/end", EndSession)
            .Documented("End one live session", ErrorCodes.Forbidden, ErrorCodes.SessionNotFound);
        group.MapGet("/playback-conflicts", ListConflicts)
            .Documented("Refused starts (another device was playing), newest first", ErrorCodes.Forbidden, ErrorCodes.ValidationError)
            .WithQuery([
                new("user_id", "Only this user's conflicts.", Format: "uuid"),
                new("since", "Conflicts at or after this ISO 8601 time.", Format: "date-time"),
                .. EndpointDocs.Paging,
            ]);
        return app;
    }

    private static async Task<Ok<PageResponse<UserRow>>> ListUsers(IOperatorQueries queries, HttpContext http)
    {
        var page = await queries.ListUsersAsync(AdminFilters.Users(new QueryReader(http.Request)), http.RequestAborted);
        return TypedResults.Ok(new PageResponse<UserRow>(page.Results, QueryReader.EncodeCursor(page.Next)));
    }

    private static async Task<Ok<PageResponse<DeviceRow>>> ListDevices(IOperatorQueries queries, HttpContext http)
    {
        var page = await queries.ListDevicesAsync(AdminFilters.Devices(new QueryReader(http.Request)), http.RequestAborted);
        return TypedResults.Ok(new PageResponse<DeviceRow>(page.Results, QueryReader.EncodeCursor(page.Next)));
    }

    private static async Task<Ok<PageResponse<SessionRow>>> ListSessions(IOperatorQueries queries, HttpContext http)
    {
        var page = await queries.ListSessionsAsync(AdminFilters.Sessions(new QueryReader(http.Request)), http.RequestAborted);
        return TypedResults.Ok(new PageResponse<SessionRow>(page.Results, QueryReader.EncodeCursor(page.Next)));
    }

    private static Task<Results<Ok<MessageResponse>, ProblemHttpResult>> SignOut(string id, IGrainFactory grains, HttpContext http) =>
        UserCommand(id, http, (user, admin) => grains.GetGrain<IUserGrain>(user).SignOutEverywhere(admin.UserId, admin.Client),
            "User signed out everywhere");

    private static Task<Results<Ok<MessageResponse>, ProblemHttpResult>> Deactivate(string id, OperatorCommands commands, HttpContext http) =>
        OwnedCommand(id, http, OperatorCommands.DeviceNotFound, commands.DeactivateDeviceAsync, "Device deactivated");

    private static async Task<Results<Ok<UserDetailResponse>, ProblemHttpResult>> GetUser(string id, IGrainFactory grains, HttpContext http)
    {
        if (!Guid.TryParse(id, out var userId))
        {
            return UserNotFound();
        }

        var user = grains.GetGrain<IUserGrain>(userId);
        var detail = await user.GetDetail();
        if (detail.Error is { } missing)
        {
            return ApiProblem.From(missing, http);
        }

        var access = await user.GetAccess();
        return access.ToHttp(http, view => TypedResults.Ok(UserDetailResponse.From(detail.Value!, view)));
    }

    private static async Task<Results<Ok<BulkDeactivateResponse>, ProblemHttpResult>> DeactivateMany(
        JsonBody<BulkDeactivateRequest> body, OperatorCommands commands, HttpContext http)
    {
        var result = await commands.DeactivateDevicesAsync(body.Value.DeviceIds(), body.Value.Reason!, http.RequireCaller(), http.RequestAborted);
        return result.ToHttp(http, statuses => TypedResults.Ok(new BulkDeactivateResponse(statuses)));
    }

    private static async Task<Results<Ok<ActivatedDeviceResponse>, ProblemHttpResult>> Activate(string id, OperatorCommands commands, HttpContext http)
    {
        var admin = http.RequireCaller();
        var result = Guid.TryParse(id, out var deviceId)
            ? await commands.ActivateDeviceAsync(deviceId, admin, http.RequestAborted)
            : OperatorCommands.DeviceNotFound;
        return result.ToHttp(http, device => TypedResults.Ok(new ActivatedDeviceResponse("Device activated", device)));
    }

    private static Task<Results<Ok<MessageResponse>, ProblemHttpResult>> Disable(string id, IGrainFactory grains, HttpContext http) =>
        UserCommand(id, http, (user, admin) => grains.GetGrain<IUserGrain>(user).Disable(admin.UserId, admin.Client), "User disabled");

    private static Task<Results<Ok<MessageResponse>, ProblemHttpResult>> Enable(string id, IGrainFactory grains, HttpContext http) =>
        UserCommand(id, http, (user, admin) => grains.GetGrain<IUserGrain>(user).Enable(admin.UserId, admin.Client), "User enabled");

    private static Task<Results<Ok<MessageResponse>, ProblemHttpResult>> Unlock(string id, IGrainFactory grains, HttpContext http) =>
        UserCommand(id, http, (user, admin) => grains.GetGrain<IUserGrain>(user).Unlock(admin.UserId, admin.Client), "User unlocked");

    private static async Task<Results<Ok<MessageResponse>, ProblemHttpResult>> UserCommand(
        string id, HttpContext http, Func<Guid, Caller, Task<Result<Done>>> command, string message)
    {
        var admin = http.RequireCaller();
        if (!Guid.TryParse(id, out var userId))
        {
            return UserNotFound();
        }

        var result = await command(userId, admin);
        return result.ToHttp(http, _ => TypedResults.Ok(new MessageResponse(message)));
    }

    private static Task<Results<Ok<MessageResponse>, ProblemHttpResult>> EndSession(string id, OperatorCommands commands, HttpContext http) =>
        OwnedCommand(id, http, OperatorCommands.SessionNotFound, commands.EndSessionAsync, "Session ended");

    /// <summary>A command on something a user owns (a device, a session); a malformed id answers <paramref name="notFound"/>.</summary>
    private static async Task<Results<Ok<MessageResponse>, ProblemHttpResult>> OwnedCommand(
        string id, HttpContext http, Failure notFound, Func<Guid, Caller, CancellationToken, Task<Result<Done>>> command, string message)
    {
        var admin = http.RequireCaller();
        var result = Guid.TryParse(id, out var itemId) ? await command(itemId, admin, http.RequestAborted) : notFound;
        return result.ToHttp(http, _ => TypedResults.Ok(new MessageResponse(message)));
    }

    private static async Task<Ok<PageResponse<PlaybackConflictResponse>>> ListConflicts(IAuditQuery audit, HttpContext http)
    {
        var page = await audit.QueryAsync(AdminFilters.Conflicts(new QueryReader(http.Request)), http.RequestAborted);
        return TypedResults.Ok(new PageResponse<PlaybackConflictResponse>(
            [.. page.Results.Select(PlaybackConflictResponse.From)], QueryReader.EncodeCursor(page.Next)));
    }

    private static ProblemHttpResult UserNotFound() =>
        ApiProblem.Create(StatusCodes.Status404NotFound, ErrorCodes.UserNotFound, "User not found.");
}
