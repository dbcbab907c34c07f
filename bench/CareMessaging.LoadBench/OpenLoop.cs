using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using CareMessaging.Clients;
using CareMessaging.Contracts.Conversations;
using HdrHistogram;

namespace CareMessaging.LoadBench;

/// <summary>What one offered rate came to, as the clients saw it.</summary>
internal sealed class RateResult
{
    public required int Offered { get; init; }

    public required TimeSpan Duration { get; init; }

    /// <summary>Latency of accepted sends, in microseconds from when each was due.</summary>
    public LongHistogram Latency { get; } = new(TimeSpan.FromMinutes(2).Ticks / 10, 3);

    /// <summary>Latency of refusals (429, 503), in microseconds from when each was due.</summary>
    public LongHistogram RefusalLatency { get; } = new(TimeSpan.FromMinutes(2).Ticks / 10, 3);

    public ConcurrentDictionary<string, int> Statuses { get; } = new();

    /// <summary>Accepted messages: id, the scheduled time of the send (a Stopwatch timestamp) and the sender.</summary>
    public ConcurrentBag<(Guid MessageId, long Scheduled, string SenderId)> Accepted { get; } = [];

    public int RefusedWithoutRetryAfter;

    public long LastCompletion;

    public int Attempted;
}

/// <summary>
/// Sends on a fixed schedule, open loop: message <c>i</c> is due at <c>start + i / rate</c> and
/// goes out then whether or not earlier ones have been answered, and its latency is counted from
/// when it was due, so a stalled server shows in the figures instead of slowing the clients down.
/// </summary>
internal static class OpenLoop
{
    private static readonly string Body = new('x', 60);

    public static async Task<RateResult> RunAsync(IReadOnlyList<Sender> senders, int rate, TimeSpan duration)
    {
        var result = new RateResult { Offered = rate, Duration = duration };
        var targets = senders.SelectMany(sender => sender.OwnConversations.Select(conversation => (sender, conversation))).ToArray();
        var total = (int)(rate * duration.TotalSeconds);
        var inFlight = new List<Task>(total);
        var start = Stopwatch.GetTimestamp();
        var ticksPerMessage = (double)Stopwatch.Frequency / rate;

        for (var i = 0; i < total; i++)
        {
            var due = start + (long)(i * ticksPerMessage);
            while (Stopwatch.GetTimestamp() < due)
            {
                if (Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due) > TimeSpan.FromMilliseconds(2))
                {
                    await Task.Delay(1);
                }
                else
                {
                    Thread.SpinWait(50);
                }
            }

            var (sender, conversation) = targets[i % targets.Length];
            inFlight.Add(SendAsync(sender, conversation, due, result));
        }

        await Task.WhenAll(inFlight);
        return result;
    }

    private static async Task SendAsync(Sender sender, Guid conversation, long due, RateResult result)
    {
        Interlocked.Increment(ref result.Attempted);
        string status;
        var accepted = false;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var response = await sender.Http.PostAsJsonAsync(
                $"{ConversationsClient.ConversationsPath}/{conversation}/messages",
                new SendMessageRequest(Body, Guid.NewGuid().ToString()), timeout.Token);
            status = ((int)response.StatusCode).ToString();
            if (response.IsSuccessStatusCode)
            {
                var message = await response.Content.ReadFromJsonAsync<MessageView>(timeout.Token);
                result.Accepted.Add((message!.Id, due, sender.User.UserId));
                accepted = true;
            }
            else if ((int)response.StatusCode is 429 or 503 && response.Headers.RetryAfter is null)
            {
                Interlocked.Increment(ref result.RefusedWithoutRetryAfter);
            }
        }
        catch (OperationCanceledException)
        {
            status = "timeout";
        }
        catch (HttpRequestException exception)
        {
            status = $"error {exception.HttpRequestError}";
        }

        var now = Stopwatch.GetTimestamp();
        var latency = Stopwatch.GetElapsedTime(due, now);
        lock (result.Latency)
        {
            var histogram = accepted ? result.Latency : result.RefusalLatency;
            histogram.RecordValue(Math.Min(latency.Ticks / 10, histogram.HighestTrackableValue));
            result.LastCompletion = Math.Max(result.LastCompletion, now);
        }

        result.Statuses.AddOrUpdate(status, 1, (_, count) => count + 1);
    }
}
