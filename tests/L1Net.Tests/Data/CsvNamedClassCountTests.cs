namespace L1Net.Tests.Data;

/// <summary>
/// Named labels with a stated <see cref="CsvDatasetOptions.ClassCount"/>: the count bounds the names, the classes are the
/// names found. One name is one class, which is a format error like any one-class file (it was an
/// <see cref="ArgumentOutOfRangeException"/> about a 'classCount' parameter the caller never passed).
/// </summary>
public sealed class CsvNamedClassCountTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void One_class_name_with_a_stated_count_is_a_CsvFormatException(int classCount)
    {
        var e = Assert.Throws<CsvFormatException>(() =>
            CsvDataset.Parse(new StringReader("a,label\n1,setosa\n2,setosa\n"), "one.csv", new CsvDatasetOptions { ClassCount = classCount }));
        Assert.Equal("one.csv, column 'label': every row has class 'setosa'; classification needs at least two classes.", e.Message);
    }

    [Fact]
    public void Two_class_names_within_a_stated_count_are_the_classes()
    {
        CsvDataset csv = CsvDataset.Parse(new StringReader("a,label\n1,virginica\n2,setosa\n"), "two.csv", new CsvDatasetOptions { ClassCount = 3 });

        Assert.Equal(["setosa", "virginica"], csv.ClassNames);
        Assert.Equal(2, csv.Dataset.ClassCount);
        Assert.Equal([1, 0], csv.Dataset.Labels.ToArray());
    }

    [Fact]
    public void One_integer_class_with_a_stated_count_is_still_a_subset_of_the_classes()
    {
        CsvDataset csv = CsvDataset.Parse(new StringReader("a,label\n1,2\n2,2\n"), "test.csv", new CsvDatasetOptions { ClassCount = 3 });

        Assert.Equal(3, csv.Dataset.ClassCount);
        Assert.Equal(["0", "1", "2"], csv.ClassNames);
    }
}
