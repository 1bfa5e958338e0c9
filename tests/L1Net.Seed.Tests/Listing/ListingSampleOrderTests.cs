using L1Net.Seed;

namespace L1Net.Seed.Tests.Listing;

public class ListingSampleOrderTests
{
    [Fact]
    public void First_epoch_is_CPython_shuffle_of_the_identity()
    {
        var order = new ListingSampleOrder(new PyRandom(0));
        int[] indices = [.. Enumerable.Range(0, 10)];
        order.Arrange(indices, 1);
        Assert.Equal([7, 8, 1, 5, 3, 4, 2, 0, 9, 6], indices);
    }

    [Fact]
    public void Later_epochs_reshuffle_the_previous_order_with_the_same_generator()
    {
        var order = new ListingSampleOrder(new PyRandom(0));
        int[] indices = [.. Enumerable.Range(0, 10)];
        order.Arrange(indices, 1);
        order.Arrange(indices, 2);

        // The listing: indices = arange(n); each epoch rnd.shuffle(indices) on the same list and generator.
        var random = new PyRandom(0);
        var expected = Enumerable.Range(0, 10).ToList();
        random.Shuffle(expected);
        random.Shuffle(expected);
        Assert.Equal(expected, indices);

        // A rebuilt list would give another order: the carry-over matters.
        var rebuilt = Enumerable.Range(0, 10).ToList();
        var fresh = new PyRandom(0);
        fresh.Shuffle(new List<int>(rebuilt));
        fresh.Shuffle(rebuilt);
        Assert.NotEqual(rebuilt, indices);
    }
}
