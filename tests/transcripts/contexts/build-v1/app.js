console.log('version 1')
