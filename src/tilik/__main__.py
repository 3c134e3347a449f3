from tilik.cli.main import main

main()
