using CareMessaging.Contracts.Conversations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;

namespace CareMessaging.EventServiceTests.Infrastructure;

/// <summary>
/// Serves GET /api/conversations/internal/read-model from a <see cref="ConversationWorld"/> in the
/// contract's shape (pages of two with a cursor), standing in for the Conversation service at
/// service level; the whole-stack tests use the real one.
/// </summary>
public sealed class ReadModelStandIn : IAsyncDisposable
{
    public const string BaseAddress = "http://conversation.test";
    private const int PageSize = 2;
    private readonly WebApplication _app;

    private ReadModelStandIn(WebApplication app) => _app = app;

    /// <summary>The world the export shows; empty until a test sets it.</summary>
    public ConversationWorld World { get; set; } = new();

    public int Requests { get; private set; }

    public static async Task<ReadModelStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var app = builder.Build();
        var standIn = new ReadModelStandIn(app);
        app.MapGet("/api/conversations/internal/read-model", (string? cursor) =>
        {
            standIn.Requests++;
            var all = standIn.World.Export();
            var start = int.TryParse(cursor, out var offset) ? offset : 0;
            var next = start + PageSize < all.Count ? (start + PageSize).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            return TypedResults.Ok(new ReadModelPage { Items = all.Skip(start).Take(PageSize).ToList(), NextCursor = next });
        });
        await app.StartAsync();
        return standIn;
    }

    public HttpMessageHandler CreateHandler() => _app.GetTestServer().CreateHandler();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
